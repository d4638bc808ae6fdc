// Settles which record each row of 課題一覧 and 所管課別進捗 is, against the accepted state, and
// writes the fixes: key cells put back (a pasted, filled or sorted ID or 所管課), duplicate and
// unknown rows cleared (what they held kept in a note), deleted records restored at the bottom.
// Every fix carries a note and a line for the secretariat.
import type { AcceptedState } from '../domain/accepted';
import { parseFiscalYear, shortFiscalYear } from '../domain/dates';
import { progressKey } from '../domain/draft';
import { type AcceptedKey, type KeyedRow, settleIdentity } from '../domain/identity';
import type { Progress, Proposal } from '../domain/model';
import { displayFor } from '../domain/stage';
import { asDate, asPlainText } from '../sheets/cells';
import type { ProgressKey, ProposalKey } from '../sheets/layout';
import { type LoadedRegister, rowFor } from '../sheets/register';
import { rowRuns, type Table, Writes } from '../sheets/table';
import { NOTE_PREFIX } from './notes';

type Sheet = GoogleAppsScript.Spreadsheet.Sheet;

/** What tells a row's record apart besides its key: compared with the stored record to settle identity. */
export const PROPOSAL_PRINT: ProposalKey[] = ['kind', 'painPoint', 'title', 'solution'];
export const PROGRESS_PRINT: (keyof Progress & ProgressKey)[] = [
  'stage',
  'presentedOn',
  'consultedOn',
  'doneOn',
  'removalReason',
  'answerKind',
  'answerComment',
  'answeredOn',
];

const proposalPrint = (p: Proposal) =>
  PROPOSAL_PRINT.map((k) => String(p[k as keyof Proposal] ?? '')).join('\u0001');
const progressPrint = (r: Progress) => PROGRESS_PRINT.map((k) => String(r[k] ?? '')).join('\u0001');
const sep = '\u0000';

/** The rows an edit touched (sheet rows, inclusive), or null for a check of every row. */
export interface Scope {
  first: number;
  last: number;
}

export interface Settled {
  /** Anything written: the caller reads the register again. */
  wrote: boolean;
  lines: string[];
  /** Cells given a note here ("row:col"), which the edit check must leave. */
  noted: Set<string>;
}

/**
 * Cells of one column written back as one setValues (and setNotes) per run of adjacent rows: text
 * into plain-text cells, dates (`date`) as dates. Every cell written is added to `noted`.
 */
function writeColumnRuns(
  sheet: Sheet,
  col: number,
  cells: { row: number; value: string; note: string }[],
  noted: Set<string>,
  date = false,
) {
  for (const c of cells) noted.add(`${c.row}:${col}`);
  for (const run of rowRuns(cells)) {
    const range = sheet.getRange(run[0]!.row, col, run.length, 1);
    if (!date) range.setNumberFormat('@');
    range.setValues(run.map((c) => [date ? asDate(c.value) : asPlainText(c.value)]));
    range.setNotes(run.map((c) => [`${NOTE_PREFIX}${c.note}`]));
  }
}

function clearRows<K extends string>(
  table: Table<K>,
  extras: { row: number; key: string; why: 'duplicate' | 'unknown' }[],
  keyCol: number,
  describe: (key: string, why: 'duplicate' | 'unknown') => string,
  noted: Set<string>,
) {
  const w = new Writes(table.sheet);
  for (const x of extras) {
    for (const c of Object.values(table.col) as number[]) w.set(x.row, c + 1, '');
  }
  w.flush();
  // The notes (what each cleared row held) in one setNotes per run of adjacent rows.
  const notes = extras.map((x) => {
    const held = table.rows[x.row - 2]
      ?.map((v) => String(v ?? ''))
      .filter((v) => v !== '')
      .join(' / ')
      .slice(0, 1000);
    noted.add(`${x.row}:${keyCol + 1}`);
    return { row: x.row, note: `${NOTE_PREFIX}${describe(x.key, x.why)}消した内容: ${held}` };
  });
  for (const run of rowRuns(notes))
    table.sheet.getRange(run[0]!.row, keyCol + 1, run.length, 1).setNotes(run.map((n) => [n.note]));
}

function restoreRows<K extends string>(table: Table<K>, rows: unknown[][], keyCol: number, note: string) {
  if (!rows.length) return;
  const w = new Writes(table.sheet, table.textColumns());
  for (const r of rows) w.append(r);
  const first = w.flush();
  table.sheet.getRange(first, keyCol + 1, rows.length, 1).setNotes(rows.map(() => [`${NOTE_PREFIX}${note}`]));
}

const fmt = (key: string) => key.split(sep).join(' ');

export function settleRows(
  reg: LoadedRegister,
  accepted: AcceptedState,
  which: 'proposals' | 'progress' | 'both',
  scope: Scope | null,
): Settled {
  const lines: string[] = [];
  const noted = new Set<string>();
  let wrote = false;
  const inScope = (row: number) => !scope || (row >= scope.first && row <= scope.last);

  if (which !== 'progress') {
    const t = reg.proposals;
    const idOf = t.column('id');
    const rows: KeyedRow[] = [];
    const c = t.columns(PROPOSAL_PRINT);
    for (let i = 0; i < t.rows.length; i++) {
      const id = idOf(i);
      if (!id) continue;
      rows.push({
        row: t.rowNumber(i),
        key: id,
        fingerprint: PROPOSAL_PRINT.map((k) => c[k](i)).join('\u0001'),
        settled: !inScope(t.rowNumber(i)),
      });
    }
    const keys = new Map<string, AcceptedKey>();
    for (const p of accepted.proposals.values()) keys.set(p.id, { key: p.id, fingerprint: proposalPrint(p) });
    const id = settleIdentity(rows, keys, () => true);
    const col = t.col.id!;
    if (id.keyFixes.length) {
      writeColumnRuns(
        t.sheet,
        col + 1,
        id.keyFixes.map((f) => ({
          row: f.row,
          value: f.to,
          note: `IDは変更できません。この行の課題のID(${f.to})に戻しました(入力: ${f.from})。`,
        })),
        noted,
      );
      for (const f of id.keyFixes)
        lines.push(`課題一覧 ${f.row}行目: ID「${f.from}」を、この行の課題のID ${f.to} に戻しました。`);
    }
    if (id.extras.length) {
      clearRows(
        t,
        id.extras,
        col,
        (key, why) =>
          why === 'duplicate'
            ? `ID ${key} の行が重複していたため、この行を消しました。`
            : `ID ${key} は台帳にないため、この行を消しました。課題はサイドバーから登録してください。`,
        noted,
      );
      for (const x of id.extras)
        lines.push(
          `課題一覧 ${x.row}行目: ${x.why === 'duplicate' ? '重複した' : '台帳にない'} ID ${x.key} の行を消しました。`,
        );
    }
    const restored = id.missing.map((key) => accepted.proposals.get(key)!);
    if (restored.length) {
      const progressOf = (pid: string) => [...accepted.progress.values()].filter((r) => r.id === pid);
      restoreRows(
        t,
        restored.map((p) =>
          rowFor(t, { ...p, fiscalYear: shortFiscalYear(p.fiscalYear), ...displayFor(p, progressOf(p.id)) }),
        ),
        col,
        '削除された行を、台帳の記録から戻しました。',
      );
      for (const p of restored) lines.push(`課題一覧: 削除された ${p.id} の行を最後の行に戻しました。`);
    }
    wrote ||= id.keyFixes.length + id.extras.length + restored.length > 0;
  }

  if (which !== 'proposals') {
    const t = reg.progress;
    const idOf = t.column('id');
    const deptOf = t.column('department');
    const c = t.columns(PROGRESS_PRINT);
    const rows: KeyedRow[] = [];
    for (let i = 0; i < t.rows.length; i++) {
      const pid = idOf(i);
      const dept = deptOf(i);
      if (!pid && !dept) continue;
      rows.push({
        row: t.rowNumber(i),
        key: `${pid}${sep}${dept}`,
        fingerprint: PROGRESS_PRINT.map((k) => (k === 'stage' ? c[k](i) || '未提示' : c[k](i))).join(
          '\u0001',
        ),
        settled: !inScope(t.rowNumber(i)),
      });
    }
    const keys = new Map<string, AcceptedKey>();
    for (const r of accepted.progress.values()) {
      const key = progressKey(r.id, r.department);
      keys.set(key, { key, fingerprint: progressPrint(r) });
    }
    const active = new Set(reg.state.departments.filter((d) => d.active).map((d) => d.name));
    const related = (a: string, b: string) => {
      const [ai, ad] = a.split(sep);
      const [bi, bd] = b.split(sep);
      return ai === bi || ad === bd;
    };
    // Only an edit adds a department by hand; after a sort or a deletion (no scope) an unknown
    // (ID, 所管課) is a key moved off its row, cleared with its content kept in the note.
    const isNew = (key: string) => {
      const [pid, dept] = key.split(sep) as [string, string];
      return scope !== null && accepted.proposals.has(pid) && active.has(dept);
    };
    const id = settleIdentity(rows, keys, related, isNew);
    if (id.keyFixes.length) {
      const notes = id.keyFixes.map((f) => ({
        row: f.row,
        note: `ID・所管課は変更できません。この行の記録(${fmt(f.to)})に戻しました(入力: ${fmt(f.from)})。`,
      }));
      writeColumnRuns(
        t.sheet,
        t.col.id! + 1,
        id.keyFixes.map((f, k) => ({ row: f.row, value: f.to.split(sep)[0]!, note: notes[k]!.note })),
        noted,
      );
      writeColumnRuns(
        t.sheet,
        t.col.department! + 1,
        id.keyFixes.map((f, k) => ({ row: f.row, value: f.to.split(sep)[1]!, note: notes[k]!.note })),
        noted,
      );
      for (const f of id.keyFixes)
        lines.push(
          `所管課別進捗 ${f.row}行目: 「${fmt(f.from)}」を、この行の記録 ${fmt(f.to)} に戻しました。`,
        );
    }
    if (id.extras.length) {
      clearRows(
        t,
        id.extras,
        t.col.id!,
        (key, why) =>
          why === 'duplicate'
            ? `${fmt(key)} の行が重複していたため、この行を消しました。`
            : `${fmt(key)} は台帳にない課題か、所管課シートにない・無効な所管課のため、この行を消しました。所管課の追加はサイドバーから行ってください。`,
        noted,
      );
      for (const x of id.extras)
        lines.push(
          `所管課別進捗 ${x.row}行目: ${x.why === 'duplicate' ? '重複した' : '台帳にない'}「${fmt(x.key)}」の行を消しました。`,
        );
    }
    const restored = id.missing.map((key) => accepted.progress.get(key)!);
    if (restored.length) {
      restoreRows(
        t,
        restored.map((r) => rowFor(t, r)),
        t.col.id!,
        '削除された行を、台帳の記録から戻しました。',
      );
      for (const r of restored)
        lines.push(`所管課別進捗: 削除された ${r.id} ${r.department} の行を最後の行に戻しました。`);
    }
    wrote ||= id.keyFixes.length + id.extras.length + restored.length > 0;
  }
  return { wrote, lines, noted };
}

/**
 * After a sort or another structural change (onChange, not an edit), every cell the add-on keeps
 * of every settled row must still hold the accepted value: a column sorted on its own moves values
 * between records, which no edit check saw. Differences are put back (never accepted), one
 * setValues per run of adjacent rows in a column, with a note; returns lines for the secretariat.
 */
export function restoreMovedValues(reg: LoadedRegister, accepted: AcceptedState): string[] {
  type Fix = { row: number; value: string; date: boolean };
  const lines: string[] = [];
  const progressOf = new Map<string, Progress[]>();
  for (const r of accepted.progress.values()) {
    const list = progressOf.get(r.id) ?? [];
    list.push(r);
    progressOf.set(r.id, list);
  }
  const fix = <K extends string>(
    table: Table<K>,
    name: string,
    rows: Map<string, number>,
    want: (key: string, def: Table<K>['defs'][number]) => string | null,
  ) => {
    const byCol = new Map<number, Fix[]>();
    const headers = new Map<number, string>();
    for (const [key, i] of rows) {
      for (const d of table.defs) {
        const w = want(key, d);
        const c = table.col[d.key];
        if (w === null || c === undefined) continue;
        const now = table.text(i, d.key);
        const same = d.key === 'fiscalYear' ? parseFiscalYear(now) === parseFiscalYear(w) : now === w;
        if (same || (d.key === 'stage' && !now && w === '未提示')) continue;
        const list = byCol.get(c + 1) ?? [];
        list.push({ row: table.rowNumber(i), value: w, date: d.kind === 'date' });
        byCol.set(c + 1, list);
        headers.set(c + 1, d.header);
      }
    }
    for (const [col, list] of byCol) {
      writeColumnRuns(
        table.sheet,
        col,
        list.map((f) => ({
          ...f,
          note: '並べ替えなどで別の行の値が入ったため、この行の記録どおりに戻しました。',
        })),
        new Set(),
        list[0]!.date,
      );
      lines.push(
        `${name}の「${headers.get(col)}」列: ${list.length}行の値が記録と違っていたため(並べ替えなど)、記録どおりに戻しました。`,
      );
    }
  };
  fix(reg.proposals, '課題一覧', reg.proposalRow, (id, d) => {
    const p = accepted.proposals.get(id);
    if (!p || d.key === 'id') return null;
    if (d.kind === 'display') return displayFor(p, progressOf.get(id) ?? [])[d.key as 'stage'];
    if (d.key === 'fiscalYear') return shortFiscalYear(p.fiscalYear);
    return String(p[d.key as keyof Proposal] ?? '');
  });
  fix(reg.progress, '所管課別進捗', reg.progressRow, (key, d) => {
    const r = accepted.progress.get(key);
    if (!r || d.key === 'id' || d.key === 'department') return null;
    return String(r[d.key as keyof Progress] ?? '');
  });
  return lines;
}
