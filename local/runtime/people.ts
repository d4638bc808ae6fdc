// What people do in the spreadsheet's UI, each followed by the installable triggers Sheets fires:
// typing into a cell (onEdit with value/oldValue as strings) and pasting a block (onEdit without
// them), each also firing onChange (EDIT). Script writes never fire triggers (§1.2).
import type vm from 'node:vm';
import type { Runtime } from './runtime';
import { Range, Spreadsheet } from './spreadsheet';
import { displayValue, storeTyped } from './values';

function a1Parts(ref: string): { sheet: string; a1: string } {
  const i = ref.lastIndexOf('!');
  if (i < 0) throw new Error(`Expected SHEET!A1, got ${ref}`);
  return { sheet: ref.slice(0, i).replace(/^'|'$/g, ''), a1: ref.slice(i + 1) };
}

/** The event's range, with the undocumented rowStart/columnStart fields real code relies on (§2.1). */
function eventRange(range: Range) {
  return Object.assign(range, {
    rowStart: range.getRow(),
    rowEnd: range.getLastRow(),
    columnStart: range.getColumn(),
    columnEnd: range.getLastColumn(),
  });
}

export interface EditOptions {
  /** The editor; '' when Sheets does not say who edited (e.user blank). */
  user: string;
  /** Whether the event carries the editor's identity. */
  showUser?: boolean;
}

/** Types `values` (rows of strings) into the sheet from the top-left cell `ref`, then fires triggers. */
export function typeInto(rt: Runtime, ref: string, values: string[][], opts: EditOptions): void {
  const { sheet: name, a1 } = a1Parts(ref);
  const model = rt.workbook.sheet(name);
  if (!model) throw new Error(`No sheet named ${name}`);
  const m = /^([A-Z]+)(\d+)$/i.exec(a1);
  if (!m) throw new Error(`Expected a cell like B3, got ${a1}`);
  const col = [...m[1]!.toUpperCase()].reduce((n, ch) => n * 26 + ch.charCodeAt(0) - 64, 0);
  const row = Number(m[2]);
  const numRows = values.length;
  const numCols = Math.max(...values.map((r) => r.length));
  if (row + numRows - 1 > model.maxRows) model.maxRows = row + numRows - 1;
  if (col + numCols - 1 > model.maxCols) model.maxCols = col + numCols - 1;
  const single = numRows === 1 && numCols === 1;
  const old = single ? displayValue(model.cell(row - 1, col - 1)) : undefined;
  const year = new Date(rt.now()).getFullYear();
  values.forEach((r, i) =>
    r.forEach((typed, j) => {
      storeTyped(model.ensure(row - 1 + i, col - 1 + j), typed, year);
    }),
  );
  const newValue = single ? displayValue(model.cell(row - 1, col - 1)) : undefined;
  const onEdit = sheetTriggers(rt, 'ON_EDIT', (_ctx, exec) => {
    const fields: Record<string, unknown> = {
      range: rt.serviceObject(exec, eventRange(new Range(exec, model, row, col, numRows, numCols))),
      source: rt.serviceObject(exec, new Spreadsheet(exec)),
      user: { getEmail: () => (opts.showUser === false ? '' : opts.user), toString: () => opts.user },
    };
    // value/oldValue: strings, single-cell edits only; oldValue absent when the cell was empty.
    if (single && newValue !== '') fields.value = newValue;
    if (single && old) fields.oldValue = old;
    return fields;
  });
  const onChange = sheetTriggers(rt, 'ON_CHANGE', (_ctx, exec) => ({
    changeType: 'EDIT',
    source: rt.serviceObject(exec, new Spreadsheet(exec)),
    user: { getEmail: () => opts.user },
  }));
  // onEdit and onChange are separate executions in no documented order (§2.2, §15).
  rt.fireEditTriggers([...onEdit, ...onChange]);
}

/** Row insertions and deletions, each firing onChange as Sheets does. */
export function changeRows(
  rt: Runtime,
  sheetName: string,
  from: number,
  to: number,
  kind: 'INSERT_ROW' | 'REMOVE_ROW',
  opts: EditOptions,
) {
  const model = rt.workbook.sheet(sheetName);
  if (!model) throw new Error(`No sheet named ${sheetName}`);
  const n = to - from + 1;
  if (kind === 'INSERT_ROW') {
    model.cells.splice(from - 1, 0, ...Array.from({ length: n }, () => []));
    model.maxRows += n;
  } else {
    model.cells.splice(from - 1, n);
    model.maxRows -= n;
  }
  rt.fireEditTriggers(
    sheetTriggers(rt, 'ON_CHANGE', (_ctx, exec) => ({
      changeType: kind,
      source: rt.serviceObject(exec, new Spreadsheet(exec)),
      user: { getEmail: () => opts.user },
    })),
  );
}

/** Sorts the data rows (below the frozen header) by one column, as the UI's sort does; onChange fires. */
export function sortSheet(rt: Runtime, sheetName: string, column: number, opts: EditOptions) {
  const model = rt.workbook.sheet(sheetName);
  if (!model) throw new Error(`No sheet named ${sheetName}`);
  const head = Math.max(model.frozenRows, 1);
  const body = model.cells.slice(head, model.lastRow());
  const key = (r: (typeof body)[number]) => displayValue(r?.[column - 1]);
  body.sort((a, b) => key(a).localeCompare(key(b), 'ja'));
  model.cells.splice(head, body.length, ...body);
  rt.fireEditTriggers(
    sheetTriggers(rt, 'ON_CHANGE', (_ctx, exec) => ({
      changeType: 'OTHER',
      source: rt.serviceObject(exec, new Spreadsheet(exec)),
      user: { getEmail: () => opts.user },
    })),
  );
}

type Fields = (ctx: vm.Context, exec: import('./exec').Exec) => Record<string, unknown>;

/** The installable triggers of one type, each ready to start as its own execution as its owner. */
function sheetTriggers(rt: Runtime, type: 'ON_EDIT' | 'ON_CHANGE', fields: Fields) {
  return rt
    .triggersHere()
    .filter((x) => x.eventType === type)
    .map((t) => ({
      type,
      start: () =>
        rt.start(
          t.handler,
          { mode: 'installable', activeUser: t.owner, effectiveUser: t.owner },
          (ctx, exec) => [rt.eventFor(ctx, 'installable', { triggerUid: t.id, ...fields(ctx, exec) })],
        ),
    }));
}

/** Reads typed input from a TSV file's text: rows by line, cells by tab. */
export const parseTsv = (text: string): string[][] =>
  text
    .replace(/\r\n/g, '\n')
    .replace(/\n$/, '')
    .split('\n')
    .map((l) => l.split('\t'));
