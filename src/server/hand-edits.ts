// Hand edits, checked by the installable onEdit trigger (as the owner) against the last accepted
// state replayed from 変更履歴. A valid change is applied as if made in the sidebar (history path
// 直接編集); an invalid one is put back — only if the cell still holds what was typed — with a note
// saying why and a toast. Hand edits never send email.

import { parseFiscalYear, shortWareki } from '../domain/dates';
import { Draft, progressKey } from '../domain/draft';
import {
  CATEGORIES,
  type DeptState,
  END_REASONS,
  IMPLEMENTATION_STATES,
  type Judgment,
  KINDS,
  type Kind,
  PERSPECTIVES,
} from '../domain/labels';
import type { Proposal, RegisterState } from '../domain/model';
import { Refused, recordJudgment, setDepartmentStage } from '../domain/operations';
import { checkDeptMove } from '../domain/transitions';
import { asDate, asPlainText, cellText } from '../sheets/cells';
import {
  CONSULTATION_COLUMNS,
  DEPARTMENT_COLUMNS,
  PROGRESS_COLUMNS,
  PROPOSAL_COLUMNS,
  type ProgressKey,
  type ProposalKey,
  SETTINGS_COLUMNS,
  SHEETS,
} from '../sheets/layout';
import { displayFor, type LoadedRegister, NotSetUp } from '../sheets/register';
import { clockFor } from './clock';
import { commitDraft } from './commit';
import { isTriggerRun, ownerEmail, roleOf, scriptProps } from './context';
import { deferEdit } from './edit-queue';
import type { Ledger } from './ledger';
import { withScriptLock } from './lock';
import { mutateAs, openRegister } from './mutate';
import { NOTE_PREFIX } from './notes';
import { handleOwnSheetEdit, isOwnSheet } from './own-sheets';
import { reportBreaks } from './report';
import { settleRows } from './row-identity';
import { handleSettingsEdit } from './settings-guard';
import { afterChange, markSummaryDirty, PROP_DIRTY, rebuildsAtOnce } from './summary-refresh';

export { NOTE_PREFIX } from './notes';

interface PutBack {
  row: number;
  col: number;
  key: string;
  value: string;
  note: string;
}

/** One edited cell of a watched column, with what it held before (as far as we know) and now. */
interface EditedCell {
  row: number;
  col: number;
  key: string;
  now: string;
}

const PROPOSAL_TEXT: ProposalKey[] = ['painPoint', 'title', 'solution', 'ptMembers', 'ptContact', 'notes'];

function editedCells(
  reg: LoadedRegister,
  table: 'proposals' | 'progress',
  range: GoogleAppsScript.Spreadsheet.Range,
): EditedCell[] {
  const t = reg[table];
  const byCol = new Map<number, string>();
  for (const [key, c] of Object.entries(t.col) as [string, number][]) byCol.set(c + 1, key);
  const out: EditedCell[] = [];
  // The range's bounds asked once: each call is a call to the service, not a field.
  const { lastRow, firstCol, lastCol } = boundsOf(range);
  for (let row = Math.max(range.getRow(), 2); row <= lastRow; row++) {
    for (let col = firstCol; col <= lastCol; col++) {
      const key = byCol.get(col);
      if (key) out.push({ row, col, key, now: cellText(t.rows[row - 2]?.[col - 1], reg.formatDate).trim() });
    }
  }
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

function restOfNewRows(
  reg: LoadedRegister,
  accepted: { progress: ReadonlyMap<string, unknown> },
  cells: readonly EditedCell[],
): EditedCell[] {
  const t = reg.progress;
  const typed = new Set(cells.map((c) => `${c.row}:${c.col}`));
  const out: EditedCell[] = [];
  for (const row of new Set(cells.map((c) => c.row))) {
    const i = row - 2;
    const id = t.text(i, 'id');
    const dept = t.text(i, 'department');
    if (!id || !dept || accepted.progress.has(progressKey(id, dept))) continue;
    for (const [key, c] of Object.entries(t.col) as [ProgressKey, number][]) {
      if (key === 'id' || key === 'department' || typed.has(`${row}:${c + 1}`)) continue;
      out.push({ row, col: c + 1, key, now: cellText(t.rows[i]?.[c], reg.formatDate).trim() });
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
  const { firstRow, lastRow } = boundsOf(range);
  const whole = firstRow <= 1 && lastRow >= range.getSheet().getLastRow();
  {
    const clock = clockFor(ss);
    let reg: LoadedRegister;
    let ledger: Ledger;
    try {
      ({ reg, ledger } = openRegister(ss, clock.today));
    } catch (err) {
      if (!(err instanceof NotSetUp)) throw err;
      ss.toast(err.message, 'プラチナ提案台帳', 10);
      return [];
    }
    const accepted = ledger.accepted(reg);
    const role = roleOf(editor, reg.state.settings, ownerEmail());
    const table = name === SHEETS.proposals ? 'proposals' : 'progress';
    // Which record each row is, before any cell is judged: a pasted or sorted key is put back.
    const settled = settleRows(reg, accepted, table, { first: firstRow, last: lastRow });
    if (settled.wrote) reg = openRegister(ss, clock.today).reg;
    // A single typed key put back is shown to the person (note, toast); a pasted, filled or sorted
    // block, a deleted row or a tampered store is also reported to the secretariat.
    const lines = [...ledger.problems, ...(single ? [] : settled.lines)];
    const cells = editedCells(reg, table, range);
    // A row whose (ID, 所管課) no record has — a department added by hand, or a key typed over
    // another department's row — starts empty: its other cells are checked too, not only the typed
    // ones, so nothing the old row held is carried into the new department without history.
    if (table === 'progress') cells.push(...restOfNewRows(reg, accepted, cells));
    if (cells.length === 0) return lines;
    const putBacks: PutBack[] = [];
    const back = (c: EditedCell, value: string, why: string) =>
      putBacks.push({ row: c.row, col: c.col, key: c.key, value, note: `${NOTE_PREFIX}${why}` });
    /** Notes on accepted cells: what a typed move recorded (its 効力日). */
    const told: PutBack[] = [];
    const tell = (c: EditedCell, what: string) =>
      told.push({ row: c.row, col: c.col, key: c.key, value: c.now, note: `${NOTE_PREFIX}${what}` });
    /** What the cell held before the edit: the last accepted value, else what Sheets says it was. */
    const wasOf = (c: EditedCell): string => {
      const t = reg[table];
      const id = t.text(c.row - 2, 'id' as never);
      const acc =
        table === 'proposals'
          ? accepted.proposals.get(id)
          : accepted.progress.get(progressKey(id, reg.progress.text(c.row - 2, 'department')));
      const v = (acc as Record<string, unknown> | undefined)?.[c.key];
      return v === undefined ? (oldValue ?? '') : String(v);
    };
    if (editor && !role) {
      for (const c of cells)
        if (c.key !== 'id' && c.key !== 'department' && c.now !== wasOf(c))
          back(
            c,
            wasOf(c),
            'この台帳を編集する権限がありません。事務局にPTメンバーへの追加を依頼してください。',
          );
      finish(ss, range, reg, table, putBacks, null, ledger, changedCells(cells, wasOf));
      return lines;
    }

    // The base the edit is judged against: the sheet as read, with each edited cell set back to its
    // last accepted value. The draft then re-applies what is allowed.
    const base: RegisterState = {
      ...reg.state,
      proposals: reg.state.proposals.map((p) => ({ ...p })),
      progress: reg.state.progress.map((p) => ({ ...p })),
    };
    // Set below, once every edited cell of `base` holds its accepted value (the draft copies the state).
    let draft = undefined as unknown as Draft;
    const changes: (() => void)[] = [];

    if (table === 'proposals') {
      for (const c of cells) {
        const i = c.row - 2;
        const id = reg.proposals.text(i, 'id');
        const acc = accepted.proposals.get(id);
        const key = c.key as ProposalKey;
        const was = wasOf(c);
        // The ID cell was settled above (row identity); a row with no accepted ID is no record.
        if (key === 'id') continue;
        const p = acc && base.proposals.find((x) => x.id === id);
        if (!p) {
          if (c.now && !whole)
            back(c, c.now, 'この行にはIDがありません。課題はサイドバーから登録してください。');
          continue;
        }
        if (key === 'departments' || key === 'stage' || key === 'decidingDepartment') {
          const shown = displayFor(p, base.progress)[key];
          if (c.now !== shown)
            back(c, shown, 'この列はアドオンが書き込みます。段階は所管課別進捗シートで変更してください。');
          continue;
        }
        if (key === 'fiscalYear') {
          if (parseFiscalYear(c.now) !== acc.fiscalYear)
            back(c, `R${acc.fiscalYear - 2018}`, '年度は変更できません。');
          continue;
        }
        (p as unknown as Record<string, string>)[key] = was;
        changes.push(() => applyProposalCell(draft, p, key, c, was, back));
      }
    } else {
      for (const c of cells) {
        const i = c.row - 2;
        const id = reg.progress.text(i, 'id');
        const dept = reg.progress.text(i, 'department');
        const key = c.key as ProgressKey;
        const acc = accepted.progress.get(progressKey(id, dept));
        // ID and 所管課 were settled above (row identity).
        if (key === 'id' || key === 'department') continue;
        const row = base.progress.find((r) => r.id === id && r.department === dept);
        if (!row) continue;
        if (key !== 'stage') {
          if (c.now === wasOf(c)) continue;
          back(
            c,
            wasOf(c),
            key.endsWith('On')
              ? '日付はサイドバーの操作や訂正で記録されます。'
              : 'この列はアドオンが書き込みます。',
          );
          continue;
        }
        if (!acc) {
          // A department added by hand: accepted as 未提示, then moved forward if allowed.
          changes.push(() => {
            if (!base.proposals.some((p) => p.id === id)) return back(c, '', `ID ${id} は台帳にありません。`);
            if (!base.departments.some((d) => d.name === dept && d.active))
              return back(c, '', `所管課「${dept}」は所管課シートにないか、無効です。`);
            draft.log(id, dept, '所管課追加', '', dept);
            row.stage = '未提示';
            if (c.now && c.now !== '未提示') moveStage(draft, id, dept, c, '未提示', back, tell);
          });
          continue;
        }
        const was = (acc.stage || '未提示') as DeptState;
        row.stage = was;
        if ((c.now || '未提示') === was) continue;
        changes.push(() => moveStage(draft, id, dept, c, was, back, tell));
      }
    }
    draft = new Draft(base, {
      email: editor,
      role: role ?? 'PT',
      path: '直接編集',
      today: clock.today,
      recordedAt: clock.recordedAt,
    });
    for (const change of changes) change();
    const changed = changedCells(cells, wasOf);
    try {
      finish(ss, range, reg, table, putBacks, draft, ledger, changed, told);
    } catch (err) {
      // Refused before its first write (a value too long for its cell, a cell typed into since it
      // was read): nothing of the edit is accepted; every changed cell goes back, saying why.
      if (!(err instanceof Refused)) throw err;
      const all = cells.filter((c) => changed.has(`${c.row}:${c.col}`));
      finish(
        ss,
        range,
        reg,
        table,
        all.map((c) => ({
          row: c.row,
          col: c.col,
          key: c.key,
          value: wasOf(c),
          note: `${NOTE_PREFIX}${err.message}`,
        })),
        null,
        ledger,
        changed,
        told,
      );
    }
    return lines;
  }
}

/**
 * Edits of people's own tables that the add-on does not judge (所管課, 協議記録) are recorded in
 * 変更履歴: what each cell held when Sheets says (one cell) and what it holds now.
 */
function logTableEdit(e: GoogleAppsScript.Events.SheetsOnEdit, keyHeader: string, prefix: string) {
  const range = e.range;
  const sheet = range.getSheet();
  const header = sheet
    .getRange(1, 1, 1, sheet.getLastColumn())
    .getValues()[0]!
    .map((h) => String(h).trim());
  const keyCol = header.indexOf(keyHeader);
  const idCol = header.indexOf('ID');
  const deptCol = header.indexOf('所管課');
  if (keyCol < 0 || range.getRow() < 2) return;
  const rows = sheet.getRange(range.getRow(), 1, range.getNumRows(), header.length).getValues();
  const editor = (e.user?.getEmail?.() ?? '').toLowerCase();
  const single = range.getNumRows() === 1 && range.getNumColumns() === 1;
  try {
    mutateAs(
      editor,
      '直接編集',
      ({ draft }) => {
        const firstCol = range.getColumn();
        const lastCol = range.getLastColumn();
        rows.forEach((row) => {
          const key = String(row[keyCol] ?? '');
          for (let c = firstCol; c <= lastCol; c++) {
            const field = header[c - 1];
            if (!field) continue;
            draft.log(
              prefix === '所管課' ? '' : String(row[idCol] ?? ''),
              prefix === '所管課' ? key : String(row[deptCol] ?? ''),
              `${prefix}:${field}${prefix === '所管課' ? '' : `(${key})`}`,
              single ? String(e.oldValue ?? '') : '',
              String(row[c - 1] ?? ''),
            );
          }
        });
      },
      { requireRole: false },
    );
  } catch (err) {
    if (!(err instanceof NotSetUp)) throw err;
  }
}

/** The date column a typed move fills with today. */
const DATE_OF_STAGE: Record<string, string> = { '①': '提示日', '②': '協議日', '④': '対応済日' };

function moveStage(
  draft: Draft,
  id: string,
  dept: string,
  c: EditedCell,
  was: DeptState,
  back: (c: EditedCell, v: string, why: string) => void,
  tell: (c: EditedCell, what: string) => void = () => {},
) {
  if (c.now === was) return;
  const check = checkDeptMove(was, c.now as DeptState, { role: draft.actor.role, reason: '' });
  if (!check.ok || check.transition.kind !== 'forward') {
    const why = !check.ok
      ? check.message
      : check.transition.kind === 'removal'
        ? '所管外にするには理由が必要です。サイドバーから行ってください。'
        : `「${was}」から「${c.now}」へ戻す訂正は、事務局がサイドバーから理由を付けて行います。`;
    return back(c, was, why);
  }
  try {
    setDepartmentStage(draft, { id, department: dept, stage: c.now as DeptState, reason: '' });
    // Typed without a date: the move is recorded as of today, and the cell says so.
    const day = shortWareki(draft.actor.today);
    const dated = DATE_OF_STAGE[c.now];
    tell(
      c,
      `「${c.now}」を効力日 ${day}(今日)として記録しました${dated ? `(${dated}も ${day})` : ''}。日付が違うときは、事務局に訂正を依頼してください。`,
    );
  } catch (e) {
    if (!(e instanceof Refused)) throw e;
    back(c, was, e.message);
  }
}

function applyProposalCell(
  draft: Draft,
  p: Proposal,
  key: ProposalKey,
  c: EditedCell,
  was: string,
  back: (c: EditedCell, v: string, why: string) => void,
) {
  if (c.now === was) return;
  const kind = (key === 'kind' ? c.now : p.kind) as Kind;
  const listCheck: Partial<Record<ProposalKey, () => string | null>> = {
    kind: () => (KINDS.includes(c.now as Kind) ? null : `種別は「${KINDS.join('」か「')}」です。`),
    category: () =>
      CATEGORIES[kind]?.includes(c.now)
        ? null
        : `場面・分類は「${(CATEGORIES[kind] ?? []).join('」「')}」から選んでください。`,
    perspective: () =>
      c.now === '' || (kind === 'ユーザーの困りごと' && (PERSPECTIVES as readonly string[]).includes(c.now))
        ? null
        : '目線はユーザーの困りごとにだけ、一覧から付けます。',
    endReason: () =>
      c.now === '' || (END_REASONS as readonly string[]).includes(c.now)
        ? null
        : `終了理由は ${END_REASONS.join('・')} のどれかです。`,
    implementation: () =>
      c.now === '' || (IMPLEMENTATION_STATES as readonly string[]).includes(c.now)
        ? null
        : '実施状況は一覧から選んでください。',
  };
  const problem = listCheck[key]?.();
  if (problem) return back(c, was, problem);
  if (key === 'kind' && !CATEGORIES[kind].includes(p.category))
    return back(
      c,
      was,
      '種別を変えると場面・分類が合わなくなります。先に場面・分類を空にせず、サイドバーで登録し直してください。',
    );
  try {
    if (key === 'judgment') {
      recordJudgment(draft, {
        id: p.id,
        judgment: c.now as Judgment | '',
        endReason: p.endReason,
        reason: '',
      });
    } else if (key === 'judgmentDate') {
      back(c, was, '判断日は判断と一緒に記録されます。');
    } else if (key === 'endReason' && p.judgment === '検討終了') {
      recordJudgment(draft, { id: p.id, judgment: '検討終了', endReason: c.now, reason: '' });
    } else if (
      key === 'kind' ||
      key === 'category' ||
      key === 'perspective' ||
      key === 'endReason' ||
      key === 'implementation' ||
      PROPOSAL_TEXT.includes(key)
    ) {
      draft.setProposal(p.id, key as keyof Proposal, c.now as never);
    }
  } catch (e) {
    if (!(e instanceof Refused)) throw e;
    back(c, was, e.message);
  }
}

/** Cells the edit changed from their accepted value ("row:col"). */
function changedCells(cells: readonly EditedCell[], wasOf: (c: EditedCell) => string): Set<string> {
  return new Set(cells.filter((c) => c.now !== wasOf(c)).map((c) => `${c.row}:${c.col}`));
}

/** Writes the accepted changes, then puts back refused cells that still hold what was typed. */
function finish(
  ss: GoogleAppsScript.Spreadsheet.Spreadsheet,
  range: GoogleAppsScript.Spreadsheet.Range,
  reg: LoadedRegister,
  table: 'proposals' | 'progress',
  putBacks: PutBack[],
  draft: Draft | null,
  ledger: Ledger,
  changed: Set<string>,
  told: PutBack[] = [],
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
    if (draft.history.length && !marks) afterChange(ss, '直接編集', draft.state);
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
  for (const t of told) if (!backAt.has(`${t.row}:${t.col}`)) sheet.getRange(t.row, t.col).setNote(t.note);
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
      const seen = cellText(reg[table].rows[p.row - 2]?.[p.col - 1], reg.formatDate).trim();
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
      const isDate = p.key.endsWith('On') || p.key === 'judgmentDate';
      // A paste may have brought another format with it: text goes back into a plain-text cell.
      if (!isDate) cell.setNumberFormat('@');
      cell.setValue(isDate ? asDate(p.value) : asPlainText(p.value));
      cell.setNote(p.note);
    }
    ss.toast(
      putBacks
        .map((p) => p.note.replace(NOTE_PREFIX, ''))
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
