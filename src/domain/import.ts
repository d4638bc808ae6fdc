// Importing an existing list: every row validated before anything is written; one bad row and
// nothing is imported, with each bad row, column and reason reported.
import { MAX_CELL_CHARS, storedLength } from './cell-text';
import { type ChoiceField, type ChoiceLists, choiceProblem } from './choices';
import {
  dateBoundsProblem,
  fiscalYearLabel,
  fiscalYearOf,
  fiscalYearStart,
  type IsoDate,
  parseDateInput,
  parseFiscalYear,
  REIWA_START,
  warekiDate,
} from './dates';
import type { Draft } from './draft';
import { idNumber, idPrefix, nextId } from './ids';
import { type DeptStage, JUDGMENTS, KINDS, type Kind, SENT_OUTSIDE } from './labels';
import { createProposal, Refused, recordJudgment, setDepartmentStage } from './operations';
import type { JudgmentState } from './transitions';

export const IMPORT_HEADERS = [
  'ID',
  '年度',
  '種別',
  '目線',
  '場面・分類',
  '困りごと',
  '課題(提案)名',
  '解決策',
  '所管課',
  '進捗',
  '提示日',
  '協議日',
  '判断',
  '判断日',
  '終了理由',
  'PT担当',
  '備考',
] as const;
type Header = (typeof IMPORT_HEADERS)[number];
const REQUIRED: Header[] = ['種別', '場面・分類', '困りごと', '課題(提案)名'];

export interface ImportProblem {
  row: number;
  column: string;
  message: string;
}

interface DeptPlan {
  department: string;
  stage: DeptStage;
  presentedOn: string;
  consultedOn: string;
}

export interface ImportRow {
  line: number;
  id: string;
  fiscalYear: number;
  kind: Kind;
  perspective: string;
  category: string;
  painPoint: string;
  title: string;
  solution: string;
  ptMembers: string;
  notes: string;
  departments: DeptPlan[];
  judgment: JudgmentState;
  judgmentDate: string;
  endReason: string;
}

const STAGE_INPUT: Record<string, DeptStage> = {
  未提示: '未提示',
  '': '未提示',
  '①': '①',
  '1': '①',
  '②': '②',
  '2': '②',
  '④': '④',
  '4': '④',
};
const splitList = (s: string) => s.split(/[、;；]/).map((x) => x.trim());

/** Strips a BOM and checks the header row: order free, unknown columns refused by name. */
export function readHeader(header: string[]): { index: Map<Header, number>; problems: ImportProblem[] } {
  const names = header.map((h, i) => (i === 0 ? h.replace(/^\uFEFF/, '') : h).trim());
  const problems: ImportProblem[] = [];
  const index = new Map<Header, number>();
  names.forEach((n, i) => {
    if ((IMPORT_HEADERS as readonly string[]).includes(n)) index.set(n as Header, i);
    else if (n)
      problems.push({
        row: 1,
        column: n,
        message: `列「${n}」は取り込めません(使える列: ${IMPORT_HEADERS.join('、')})。`,
      });
  });
  for (const r of REQUIRED)
    if (!index.has(r)) problems.push({ row: 1, column: r, message: `列「${r}」が必要です。` });
  return { index, problems };
}

/** Validates the data rows; returns the rows when all are good, or every problem found. */
export function validateRows(
  rows: string[][],
  index: Map<Header, number>,
  ctx: {
    fiscalYear: number;
    today: string;
    departments: readonly string[];
    existingIds: readonly string[];
    /** 設定's lists: the one source for 目線, 場面・分類 and 終了理由 */
    lists: ChoiceLists;
  },
): { rows: ImportRow[]; problems: ImportProblem[] } {
  const problems: ImportProblem[] = [];
  const out: ImportRow[] = [];
  const seenIds = new Set<string>();
  rows.forEach((cells, k) => {
    const line = k + 2;
    if (cells.every((c) => !c.trim())) return;
    const get = (h: Header) => (index.has(h) ? (cells[index.get(h)!] ?? '').trim() : '');
    const bad = (column: Header, message: string) => problems.push({ row: line, column, message });
    const before = problems.length;
    // Counted as stored: text Sheets would read as a number or formula is written behind an apostrophe.
    for (const h of IMPORT_HEADERS)
      if (storedLength(get(h)) > MAX_CELL_CHARS)
        bad(
          h,
          `${h}が長すぎます。1つのセルに保存できるのは${MAX_CELL_CHARS.toLocaleString('en-US')}文字までです(${storedLength(get(h)).toLocaleString('en-US')}文字)。`,
        );
    for (const h of REQUIRED) if (!get(h)) bad(h, `${h}が空です。`);
    const kind = get('種別') as Kind;
    if (get('種別') && !KINDS.includes(kind)) bad('種別', `種別は「${KINDS.join('」か「')}」です。`);
    const fy = get('年度') ? parseFiscalYear(get('年度')) : ctx.fiscalYear;
    if (fy === null) bad('年度', '年度は 令和7年度・R7・2025 のように書いてください。');
    else if (fy < 2019 || fy > fiscalYearOf(ctx.today) + 1)
      bad('年度', `年度「${get('年度')}」は令和元年度から来年度までにしてください。`);
    // Every date of a row: not after today, not before its 年度's first day (today when 年度 runs
    // ahead of the calendar) nor 令和元年5月1日; 協議日 and 判断日 further bound by the 提示日.
    const yearStart = fy === null ? REIWA_START : fiscalYearStart(fy);
    const floor: { min: IsoDate; minLabel?: string } =
      yearStart > REIWA_START
        ? yearStart <= ctx.today
          ? { min: yearStart, minLabel: `${fiscalYearLabel(fy!)}の初日` }
          : { min: ctx.today, minLabel: '今日' }
        : { min: REIWA_START };
    const outOfBounds = (h: Header, iso: IsoDate, after?: { min: IsoDate; minLabel: string }) =>
      dateBoundsProblem(h, iso, {
        ...(after && after.min > floor.min ? after : floor),
        max: ctx.today,
        maxLabel: '今日',
      });
    // The same check as the sidebar and a typed cell (domain/choices), against 設定's lists.
    const choice = (h: Header, field: ChoiceField) => {
      const problem = KINDS.includes(kind) && get(h) ? choiceProblem(ctx.lists, field, kind, get(h)) : null;
      if (problem) bad(h, problem);
    };
    choice('場面・分類', 'category');
    choice('目線', 'perspective');
    const category = get('場面・分類');
    const perspective = get('目線');
    let id = get('ID');
    if (id) {
      if (!/^R\d{1,2}-[US]\d{2,}$/.test(id)) bad('ID', 'IDは R7-U01 のような形式です。');
      else if (ctx.existingIds.includes(id)) bad('ID', `ID ${id} はすでに台帳にあります。`);
      else if (seenIds.has(id)) bad('ID', `ID ${id} がファイルの中で重複しています。`);
      else if (fy !== null && KINDS.includes(kind) && !id.startsWith(idPrefix(fy, kind)))
        bad('ID', `ID ${id} は年度・種別と合いません(${idPrefix(fy, kind)}…)。`);
      seenIds.add(id);
    }
    const names = get('所管課') ? splitList(get('所管課')) : [];
    const stagesIn = get('進捗') ? splitList(get('進捗')) : [];
    const list = (h: '提示日' | '協議日') => {
      const xs = get(h) ? splitList(get(h)) : [];
      return xs.length === 1 && names.length > 1 ? names.map(() => xs[0]!) : xs;
    };
    const presented = list('提示日');
    const consulted = list('協議日');
    if (stagesIn.length > names.length) bad('進捗', '進捗の数が所管課の数より多いです。');
    if (presented.length > names.length) bad('提示日', '提示日の数が所管課の数より多いです。');
    if (consulted.length > names.length) bad('協議日', '協議日の数が所管課の数より多いです。');
    const depts: DeptPlan[] = [];
    names.forEach((name, i) => {
      if (!name) return bad('所管課', `${i + 1}番目の所管課が空です。`);
      if (!ctx.departments.includes(name))
        return bad('所管課', `所管課「${name}」は所管課シートにありません。先に登録してください。`);
      if (depts.some((d) => d.department === name))
        return bad('所管課', `所管課「${name}」が重複しています。`);
      const raw = stagesIn[i] ?? '';
      const stage = STAGE_INPUT[raw.replace(/\s/g, '')];
      if (!stage)
        return bad('進捗', `進捗「${raw}」は 未提示・①・②・④ のどれかです(③は判断から決まります)。`);
      const date = (h: '提示日' | '協議日', s: string | undefined) => {
        if (!s) return '';
        const iso = parseDateInput(s);
        if (!iso) {
          bad(h, `「${s}」を日付として読めません(2025-11-25、2025/11/25、R7.11.25、令和7年11月25日)。`);
          return '';
        }
        const problem = outOfBounds(h, iso);
        if (problem) {
          bad(h, `所管課「${name}」の${problem}`);
          return '';
        }
        return iso;
      };
      const p = date('提示日', presented[i]);
      const c = date('協議日', consulted[i]);
      if (stage === '未提示' && (p || c)) bad('進捗', `所管課「${name}」は未提示なのに日付があります。`);
      if (stage === '②' && p && c && c < p)
        bad('協議日', `所管課「${name}」の協議日(${warekiDate(c)})が提示日(${warekiDate(p)})より前です。`);
      depts.push({
        department: name,
        stage,
        presentedOn: p || (stage === '未提示' ? '' : ctx.today),
        consultedOn: stage === '②' ? c || p || ctx.today : '',
      });
    });
    const judgment = get('判断') as JudgmentState;
    if (judgment && !(JUDGMENTS as readonly string[]).includes(judgment))
      bad('判断', '判断は 検討継続 か 検討終了 です。');
    const endReason = get('終了理由');
    choice('終了理由', 'endReason');
    if (judgment === '検討終了' && !endReason) bad('終了理由', '検討終了には終了理由が必要です。');
    if (judgment === '検討継続' && !depts.some((d) => d.stage === '②'))
      bad('判断', '検討継続には協議済み(②)の所管課が必要です。');
    if (judgment === '検討終了' && !depts.some((d) => d.stage !== '未提示'))
      bad('判断', '検討終了は提示した後に付けられます。');
    const jd = get('判断日') ? parseDateInput(get('判断日')) : '';
    if (jd === null) bad('判断日', `「${get('判断日')}」を日付として読めません。`);
    else if (jd) {
      // A 判断 comes after the proposal was first presented (the 提示日 the row gives, or today).
      const first = depts
        .map((d) => d.presentedOn)
        .filter(Boolean)
        .sort()[0];
      const problem = outOfBounds('判断日', jd, first ? { min: first, minLabel: '最初の提示日' } : undefined);
      if (problem) bad('判断日', problem);
    }
    if (problems.length > before) return;
    if (!id) id = '';
    out.push({
      line,
      id,
      fiscalYear: fy!,
      kind,
      perspective,
      category,
      painPoint: get('困りごと'),
      title: get('課題(提案)名'),
      solution: get('解決策'),
      ptMembers: get('PT担当'),
      notes: get('備考'),
      departments: depts,
      judgment,
      judgmentDate: judgment ? jd || ctx.today : '',
      endReason,
    });
  });
  return { rows: out, problems };
}

/**
 * Applies validated rows: each proposal is created, then each department is moved through the
 * transitions table with 効力日 = 提示日 for ① and ④, 協議日 for ②, so as-of replays work.
 */
export function applyImport(
  draft: Draft,
  rows: readonly ImportRow[],
  issued: (prefix: string) => number,
): Map<string, number> {
  // The highest number issued per prefix: the register's, the recorded one, and the file's own IDs
  // (so a blank ID is never given a number the file uses further down).
  const existing = draft.state.proposals.map((p) => p.id);
  const lastIssued = new Map<string, number>();
  const highest = (prefix: string) => {
    let n = lastIssued.get(prefix);
    if (n === undefined) {
      n = nextId(prefix, existing, issued(prefix)).number - 1;
      lastIssued.set(prefix, n);
    }
    return n;
  };
  for (const r of rows) {
    if (r.id) {
      const prefix = idPrefix(r.fiscalYear, r.kind);
      lastIssued.set(prefix, Math.max(highest(prefix), idNumber(r.id)));
    }
  }
  for (const r of rows) {
    const prefix = idPrefix(r.fiscalYear, r.kind);
    let id = r.id;
    if (!id) {
      const number = highest(prefix) + 1;
      lastIssued.set(prefix, number);
      id = `${prefix}${String(number).padStart(2, '0')}`;
    }
    const first = r.departments
      .map((d) => d.presentedOn)
      .filter(Boolean)
      .sort()[0];
    try {
      createProposal(draft, { ...r, ptContact: '', departments: [] }, id, {
        fiscalYear: r.fiscalYear,
        effective: first,
      });
      for (const d of r.departments) {
        draft.addDepartment(id, d.department, { effective: d.presentedOn || first });
        const move = (stage: DeptStage, on: string) =>
          setDepartmentStage(draft, { id, department: d.department, stage, effectiveDate: on, reason: '' });
        if (d.stage === '未提示') continue;
        move('①', d.presentedOn);
        // Presented before the add-on: the request went by hand (their own 依頼状態, not 未送信).
        draft.setProgress(id, d.department, 'requestState', SENT_OUTSIDE, { effective: d.presentedOn });
        if (d.stage === '②') move('②', d.consultedOn);
        if (d.stage === '④') move('④', d.presentedOn);
      }
      if (r.judgment)
        recordJudgment(draft, {
          id,
          judgment: r.judgment,
          endReason: r.endReason,
          effectiveDate: r.judgmentDate,
          reason: '',
        });
    } catch (e) {
      if (e instanceof Refused)
        throw new Refused('invalid', `${r.line}行目: ${e.message}`, { [`${r.line}`]: e.message });
      throw e;
    }
  }
  return lastIssued;
}
