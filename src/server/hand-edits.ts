// Hand edits, checked by the installable onEdit trigger (as the owner): this file reads the edited
// cells, settles row identity, asks the pure judge (domain/hand-edit) what to accept, commits that
// as if made in the sidebar (history path 直接編集) and puts back the rest — only where the cell
// still holds what was typed — with a note saying why and a toast. Hand edits never send email.

import type { AcceptedState } from '../domain/accepted';
import { progressKey } from '../domain/draft';
import { type EditedCell, judgeEdit, type Verdict } from '../domain/hand-edit';
import { Refused } from '../domain/operations';
import { asDate, asPlainText, cellText } from '../sheets/cells';
import {
  CONSULTATION_COLUMNS,
  DATE_KEYS,
  DEPARTMENT_COLUMNS,
  PROGRESS_COLUMNS,
  PROPOSAL_COLUMNS,
  type ProgressKey,
  SETTINGS_COLUMNS,
  SHEETS,
} from '../sheets/layout';
import { type LoadedRegister, NotSetUp } from '../sheets/register';
import { clockFor } from './clock';
import { commitDraft } from './commit';
import { isTriggerRun, ownerEmail, roleOf, scriptProps } from './context';
import { deferEdit } from './edit-queue';
import { type Bounds, openScoped } from './hand-edit-scope';
import type { Ledger } from './ledger';
import { withScriptLock } from './lock';
import { openRegister } from './mutate';
import { NOTE_PREFIX } from './notes';
import { handleOwnSheetEdit, isOwnSheet } from './own-sheets';
import { reportBreaks } from './report';
import { settleRows } from './row-identity';
import { handleSettingsEdit } from './settings-guard';

import { afterChange, markSummaryDirty, PROP_DIRTY, rebuildSummary, rebuildsAtOnce } from './summary-refresh';
import { logTableEdit } from './table-log';

export { NOTE_PREFIX } from './notes';

/** The watched cells of `range` as they now read (row identity settled), with what each held before. */
function editedCells(
  reg: LoadedRegister,
  accepted: AcceptedState,
  table: 'proposals' | 'progress',
  range: GoogleAppsScript.Spreadsheet.Range,
  oldValue: string | undefined,
): EditedCell[] {
  const t = reg[table];
  const byCol = new Map<number, string>();
  for (const [key, c] of Object.entries(t.col) as [string, number][]) byCol.set(c + 1, key);
  const out: EditedCell[] = [];
  // The range's bounds asked once: each call is a call to the service, not a field.
  const { firstRow, lastRow, firstCol, lastCol } = boundsOf(range);
  for (let row = Math.max(firstRow, 2); row <= lastRow; row++) {
    for (let col = firstCol; col <= lastCol; col++) {
      const key = byCol.get(col);
      if (key) out.push(cellOf(reg, accepted, table, row, col, key, oldValue));
    }
  }
  // A row whose (ID, 所管課) no record has — a department added by hand, or a key typed over
  // another department's row — starts empty: its other cells are checked too, not only the typed
  // ones, so nothing the old row held is carried into the new department without history.
  if (table === 'progress') out.push(...restOfNewRows(reg, accepted, out, oldValue));
  return out;
}

/**
 * A range's rows and columns from its position and size. Range.getLastRow and getLastColumn
 * answer the same, but the service counts them as reads of the sheet, each a round trip.
 */
function boundsOf(range: GoogleAppsScript.Spreadsheet.Range) {
  const firstRow = range.getRow();
  const firstCol = range.getColumn();
  return {
    firstRow,
    lastRow: firstRow + range.getNumRows() - 1,
    firstCol,
    lastCol: firstCol + range.getNumColumns() - 1,
  };
}

/** One cell: the record its row is, its last accepted value (else what Sheets says it was), what it holds. */
function cellOf(
  reg: LoadedRegister,
  accepted: AcceptedState,
  table: 'proposals' | 'progress',
  row: number,
  col: number,
  key: string,
  oldValue: string | undefined,
): EditedCell {
  const id = reg[table].textAt(row, 'id');
  const department = table === 'progress' ? reg.progress.textAt(row, 'department') : '';
  const acc =
    table === 'proposals' ? accepted.proposals.get(id) : accepted.progress.get(progressKey(id, department));
  const v = (acc as Record<string, unknown> | undefined)?.[key];
  const now = cellText(reg[table].cellAt(row, col), reg.formatDate).trim();
  return { row, col, key, id, department, was: v === undefined ? (oldValue ?? '') : String(v), now };
}

function restOfNewRows(
  reg: LoadedRegister,
  accepted: AcceptedState,
  cells: readonly EditedCell[],
  oldValue: string | undefined,
): EditedCell[] {
  const t = reg.progress;
  const typed = new Set(cells.map((c) => `${c.row}:${c.col}`));
  const out: EditedCell[] = [];
  for (const row of new Set(cells.map((c) => c.row))) {
    const id = t.textAt(row, 'id');
    const dept = t.textAt(row, 'department');
    if (!id || !dept || accepted.progress.has(progressKey(id, dept))) continue;
    for (const [key, c] of Object.entries(t.col) as [ProgressKey, number][]) {
      if (key === 'id' || key === 'department' || typed.has(`${row}:${c + 1}`)) continue;
      out.push(cellOf(reg, accepted, 'progress', row, c + 1, key, oldValue));
    }
  }
  return out;
}

export function handleEdit(e: GoogleAppsScript.Events.SheetsOnEdit): void {
  const range = e.range;
  const name = range.getSheet().getName();
  const editor = (e.user?.getEmail?.() ?? '').toLowerCase();
  if (range.getRow() === 1 && headerEdited(e, name, editor)) return;
  if (name === SHEETS.settings || name === SHEETS.departments) {
    // Settings and the directory are people's to edit (but for the guarded settings); the summary
    // shows their effect next run, and history keeps what the directory said before.
    markSummaryDirty();
    if (name === SHEETS.departments) logTableEdit(e, '所管課', '所管課');
    else handleSettingsEdit(e.source, editor);
    return;
  }
  if (isOwnSheet(name)) {
    handleOwnSheetEdit(e, editor);
    return;
  }
  if (name === SHEETS.consultations) {
    logTableEdit(e, '記録番号', '協議記録');
    return;
  }
  if (name !== SHEETS.proposals && name !== SHEETS.progress) return;
  const single = range.getNumRows() === 1 && range.getNumColumns() === 1;
  const oldValue = single ? (e.oldValue ?? '') : undefined;
  const ss = e.source;
  try {
    const lines = withScriptLock(() => checkRange(ss, range, editor, oldValue));
    if (lines.length) reportBreaks(ss, lines);
  } catch (err) {
    if (!(err instanceof Refused) || err.code !== 'busy') throw err;
    // Another run kept the lock too long: this edit is checked by the next 10-minute run.
    deferEdit(ss, range, editor);
  }
}

const TABLE_HEADERS: Record<string, readonly { header: string }[]> = {
  [SHEETS.proposals]: PROPOSAL_COLUMNS,
  [SHEETS.progress]: PROGRESS_COLUMNS,
  [SHEETS.consultations]: CONSULTATION_COLUMNS,
  [SHEETS.departments]: DEPARTMENT_COLUMNS,
  [SHEETS.settings]: SETTINGS_COLUMNS,
};

/**
 * A header of a table the add-on reads, retyped: columns are found by header, so one retyped
 * header would stop every check. A single typed header is put back; a pasted block over the
 * header row is reported (the daily check reports a missing column until it is put back).
 */
function headerEdited(e: GoogleAppsScript.Events.SheetsOnEdit, name: string, editor: string): boolean {
  const defs = TABLE_HEADERS[name];
  if (!defs) return false;
  const range = e.range;
  const single = range.getNumRows() === 1 && range.getNumColumns() === 1;
  const old = String(e.oldValue ?? '').trim();
  const isHeader = defs.some((d) => d.header === old);
  if (single && isHeader && String(e.value ?? '').trim() !== old) {
    withScriptLock(() => {
      range.setNumberFormat('@').setValue(old);
      range.setNote(`${NOTE_PREFIX}見出しはアドオンが列を探すのに使います。「${old}」に戻しました。`);
    });
    e.source.toast(`見出し「${old}」は変更できません。元に戻しました。`, 'プラチナ提案台帳', 10);
    return true;
  }
  if (!single) {
    const now = range.getValues()[0]!.map((h) => String(h).trim());
    const header = range.getSheet().getRange(1, 1, 1, range.getSheet().getLastColumn()).getValues()[0]!;
    const present = new Set(header.map((h) => String(h).trim()));
    const missing = defs.filter((d) => !present.has(d.header)).map((d) => d.header);
    if (missing.length)
      reportBreaks(e.source, [
        `${name}の見出し行が ${editor || '(利用者不明)'} により変更され、列「${missing.join('」「')}」が見つかりません(入力: ${now.join(' / ')})。見出しを戻してください。それまで手入力の確認は止まります。`,
      ]);
  }
  return false;
}

interface Opened {
  reg: LoadedRegister;
  ledger: Ledger;
  accepted: AcceptedState;
  /** What to report to the secretariat (a tampered store, rows settled). */
  lines: string[];
  /** Only the edited proposals' records were read (hand-edit-scope.ts): 集計 cannot be counted here. */
  partial: boolean;
}

/** The register as the edited rows need it, when nothing calls for the whole check. */
function openScopedCheck(
  ss: GoogleAppsScript.Spreadsheet.Spreadsheet,
  today: string,
  table: 'proposals' | 'progress',
  bounds: Bounds,
): Opened | null {
  const scoped = openScoped(ss, today, table, bounds);
  return scoped && { ...scoped, lines: [], partial: true };
}

/**
 * The whole check: the register and 台帳状態 read whole, the store verified (rebuilt when tampered)
 * and every row of the edited table settled: a pasted or sorted key is put back.
 */
function openWholeCheck(
  ss: GoogleAppsScript.Spreadsheet.Spreadsheet,
  today: string,
  table: 'proposals' | 'progress',
  { firstRow, lastRow }: Bounds,
  single: boolean,
): Opened {
  let { reg, ledger } = openRegister(ss, today, true);
  const accepted = ledger.accepted(reg);
  const settled = settleRows(reg, accepted, table, { first: firstRow, last: lastRow });
  if (settled.wrote) reg = openRegister(ss, today).reg;
  // A single typed key put back is shown to the person (note, toast); a pasted, filled or sorted
  // block, a deleted row or a tampered store is also reported to the secretariat.
  return {
    reg,
    ledger,
    accepted,
    lines: [...ledger.problems, ...(single ? [] : settled.lines)],
    partial: false,
  };
}

/**
 * Checks the cells of `range` (on 課題一覧 or 所管課別進捗) against the accepted state, as typed by
 * `editor` ('' when Sheets did not say): row identity first, then each edited cell. Runs under the
 * script lock. `oldValue` is Sheets' word for a single edited cell.
 */
export function checkRange(
  ss: GoogleAppsScript.Spreadsheet.Spreadsheet,
  range: GoogleAppsScript.Spreadsheet.Range,
  editor: string,
  oldValue: string | undefined,
): string[] {
  const name = range.getSheet().getName();
  // A check of the whole sheet (a later run) notes nothing on rows that are no record.
  const single = oldValue !== undefined;
  const bounds = boundsOf(range);
  const { firstRow, lastRow } = bounds;
  const table = name === SHEETS.proposals ? 'proposals' : 'progress';
  {
    const clock = clockFor(ss);
    let opened: Opened;
    try {
      opened =
        openScopedCheck(ss, clock.today, table, bounds) ??
        openWholeCheck(ss, clock.today, table, bounds, single);
    } catch (err) {
      if (!(err instanceof NotSetUp)) throw err;
      ss.toast(err.message, 'プラチナ提案台帳', 10);
      return [];
    }
    const { reg, ledger, accepted, lines, partial } = opened;
    const whole = firstRow <= 1 && lastRow >= range.getSheet().getLastRow();
    const role = roleOf(editor, reg.state.settings, ownerEmail());
    const cells = editedCells(reg, accepted, table, range, oldValue);
    if (cells.length === 0) return lines;
    const verdict = judgeEdit({
      table,
      state: reg.state,
      accepted,
      cells,
      actor: { email: editor, role, path: '直接編集', today: clock.today, recordedAt: clock.recordedAt },
      whole,
      dateKeys: DATE_KEYS,
    });
    try {
      finish(ss, range, reg, table, verdict, ledger, partial);
    } catch (err) {
      // Refused before its first write (a value too long for its cell, a cell typed into since it
      // was read): nothing of the edit is accepted; every changed cell goes back, saying why.
      if (!(err instanceof Refused)) throw err;
      const putBacks = cells
        .filter((c) => verdict.changed.has(`${c.row}:${c.col}`))
        .map((c) => ({ row: c.row, col: c.col, key: c.key, value: c.was, note: err.message }));
      finish(ss, range, reg, table, { ...verdict, putBacks, draft: null }, ledger, partial);
    }
    return lines;
  }
}

/** Writes the accepted changes, then puts back refused cells that still hold what was typed. */
function finish(
  ss: GoogleAppsScript.Spreadsheet.Spreadsheet,
  range: GoogleAppsScript.Spreadsheet.Range,
  reg: LoadedRegister,
  table: 'proposals' | 'progress',
  { putBacks, told, draft, changed }: Verdict,
  ledger: Ledger,
  partial: boolean,
) {
  // Read before the commit writes: a read after writes waits for them to be sent first.
  const notes = range.getNotes();
  if (draft) {
    // 集計 is rebuilt at most once a minute after hand edits; otherwise it is marked in the
    // properties write that ends the commit (not a write of its own).
    const marks = draft.history.length > 0 && !rebuildsAtOnce('直接編集', scriptProps().getProperties());
    if (marks) draft.props.set(PROP_DIRTY, '1');
    // Accepted values are already in their cells; the draft writes dates, display columns, history.
    commitDraft(reg, draft, ledger);
    // A check that read only the edited proposals counts the register anew (rebuildSummary reads it).
    if (draft.history.length && !marks)
      partial ? rebuildSummary(ss) : afterChange(ss, '直接編集', draft.state);
  }
  const sheet = reg[table].sheet;
  const backAt = new Set(putBacks.map((p) => `${p.row}:${p.col}`));
  const top = range.getRow();
  const left = range.getColumn();
  notes.forEach((r, i) =>
    r.forEach((note, j) => {
      const at = `${top + i}:${left + j}`;
      // An earlier refusal's note goes once the person has typed a value that was accepted (a
      // note left by another run that put this cell back stays).
      if (String(note).startsWith(NOTE_PREFIX) && changed.has(at) && !backAt.has(at))
        sheet.getRange(top + i, left + j).setNote(null);
    }),
  );
  for (const t of told)
    if (!backAt.has(`${t.row}:${t.col}`)) sheet.getRange(t.row, t.col).setNote(`${NOTE_PREFIX}${t.note}`);
  if (putBacks.length) {
    const current = range.getValues();
    const rowsRead = new Map<number, unknown[]>();
    const rowNow = (row: number) => {
      let values = rowsRead.get(row);
      if (!values)
        rowsRead.set(row, (values = sheet.getRange(row, 1, 1, sheet.getLastColumn()).getValues()[0]!));
      return values;
    };
    for (const p of putBacks) {
      const seen = cellText(reg[table].cellAt(p.row, p.col), reg.formatDate).trim();
      const inRange =
        p.row >= top &&
        p.row < top + current.length &&
        p.col >= left &&
        p.col < left + (current[0]?.length ?? 0);
      // A cell outside the edited range (the rest of a row whose key was changed): its row, read once.
      const now = inRange ? current[p.row - top]?.[p.col - left] : rowNow(p.row)[p.col - 1];
      const still = cellText(now, reg.formatDate).trim();
      if (still !== seen) continue; // someone typed again meanwhile: leave their value
      const cell = sheet.getRange(p.row, p.col);
      const isDate = DATE_KEYS.has(p.key);
      // A paste may have brought another format with it: text goes back into a plain-text cell.
      if (!isDate) cell.setNumberFormat('@');
      cell.setValue(isDate ? asDate(p.value) : asPlainText(p.value));
      cell.setNote(`${NOTE_PREFIX}${p.note}`);
    }
    ss.toast(
      putBacks
        .map((p) => p.note)
        .filter((x, i, a) => a.indexOf(x) === i)
        .join('\n'),
      '入力を元に戻しました',
      10,
    );
  }
}

/** The installable onEdit handler: only as the recorded owner. */
export function onEditInstalled(e: GoogleAppsScript.Events.SheetsOnEdit): void {
  if (!isTriggerRun(e as { triggerUid?: string })) return;
  handleEdit(e);
}
