// A hand edit of 課題一覧 or 所管課別進捗, judged against the last accepted state: which typed
// values are applied (as the sidebar would, through a Draft: history path 直接編集) and which are
// put back, with why. Pure: the server reads the cells, commits the draft and writes the put-backs.
import { parseFiscalYear, shortFiscalYear, shortWareki } from './dates';
import { Draft, progressKey } from './draft';
import { HISTORY_EVENTS } from './history-entry';
import type { DeptState, Judgment } from './labels';
import {
  type Actor,
  EDITABLE_FIELDS,
  type EditableField,
  type Progress,
  type Proposal,
  type RegisterState,
} from './model';
import { Refused, recordJudgment, setDepartmentStage, updateProposal } from './operations';
import { displayFor } from './stage';
import { checkDeptMove } from './transitions';

/** One edited cell of a watched column: the record its row is, what it held before, what it holds. */
export interface EditedCell {
  row: number;
  col: number;
  key: string;
  /** The row's ID and 所管課 (after row identity was settled). */
  id: string;
  department: string;
  /** The last accepted value, else what Sheets says the cell held. */
  was: string;
  now: string;
}

/** A cell to write back (a refused value, `value` being what it goes back to) or to note. */
export interface CellNote {
  row: number;
  col: number;
  key: string;
  value: string;
  note: string;
}

export interface Verdict {
  /** Refused cells, with the value they go back to and why. */
  putBacks: CellNote[];
  /** Notes on accepted cells: what a typed move recorded (its 効力日). */
  told: CellNote[];
  /** The accepted changes, for the server to commit (null when nothing may be accepted). */
  draft: Draft | null;
  /** Cells the edit changed from their accepted value ("row:col"). */
  changed: Set<string>;
}

export interface AcceptedRecords {
  proposals: ReadonlyMap<string, Proposal>;
  progress: ReadonlyMap<string, Progress>;
}

const DISPLAY_COLUMNS = ['departments', 'stage', 'decidingDepartment'] as const;
/** The date column a typed move fills with today. */
const DATE_OF_STAGE: Record<string, string> = { '①': '提示日', '②': '協議日', '④': '対応済日' };

/**
 * What to do once the draft exists: the base state must first hold every edited cell's accepted
 * value (the draft copies it), so each allowed change is planned as data, then applied in order.
 */
type Planned =
  | { kind: 'proposalCell'; cell: EditedCell; proposal: Proposal }
  | { kind: 'newDepartment'; cell: EditedCell }
  | { kind: 'move'; cell: EditedCell; from: DeptState };

export function judgeEdit(input: {
  table: 'proposals' | 'progress';
  /** The register as read, edited cells included. */
  state: RegisterState;
  accepted: AcceptedRecords;
  cells: readonly EditedCell[];
  actor: Actor;
  /** The whole sheet is checked (a later run): rows that are no record get no note. */
  whole: boolean;
  /** Date columns, which only the add-on's own moves fill. */
  dateKeys: ReadonlySet<string>;
}): Verdict {
  const { table, accepted, cells, actor } = input;
  const changed = new Set(cells.filter((c) => c.now !== c.was).map((c) => `${c.row}:${c.col}`));
  const putBacks: CellNote[] = [];
  const told: CellNote[] = [];
  const back = (c: EditedCell, value: string, why: string) =>
    putBacks.push({ row: c.row, col: c.col, key: c.key, value, note: why });
  if (actor.email && !actor.role) {
    for (const c of cells)
      if (c.key !== 'id' && c.key !== 'department' && c.now !== c.was)
        back(c, c.was, 'この台帳を編集する権限がありません。事務局にPTメンバーへの追加を依頼してください。');
    return { putBacks, told, draft: null, changed };
  }
  // The base the edit is judged against: the sheet as read, with each edited cell set back to its
  // last accepted value. The draft then re-applies what is allowed.
  const base: RegisterState = {
    ...input.state,
    proposals: input.state.proposals.map((p) => ({ ...p })),
    progress: input.state.progress.map((p) => ({ ...p })),
  };
  const planned: Planned[] = [];
  for (const c of cells) {
    // ID and 所管課 were settled before (row identity).
    if (c.key === 'id' || c.key === 'department') continue;
    if (table === 'proposals') {
      const acc = accepted.proposals.get(c.id);
      const p = acc && base.proposals.find((x) => x.id === c.id);
      if (!acc || !p) {
        if (c.now && !input.whole)
          back(c, c.now, 'この行にはIDがありません。課題はサイドバーから登録してください。');
        continue;
      }
      if ((DISPLAY_COLUMNS as readonly string[]).includes(c.key)) {
        const shown = displayFor(p, base.progress)[c.key as (typeof DISPLAY_COLUMNS)[number]];
        if (c.now !== shown)
          back(c, shown, 'この列はアドオンが書き込みます。段階は所管課別進捗シートで変更してください。');
        continue;
      }
      if (c.key === 'fiscalYear') {
        if (parseFiscalYear(c.now) !== acc.fiscalYear)
          back(c, shortFiscalYear(acc.fiscalYear), '年度は変更できません。');
        continue;
      }
      (p as unknown as Record<string, string>)[c.key] = c.was;
      planned.push({ kind: 'proposalCell', cell: c, proposal: p });
      continue;
    }
    const row = base.progress.find((r) => r.id === c.id && r.department === c.department);
    if (!row) continue;
    if (c.key !== 'stage') {
      if (c.now !== c.was)
        back(
          c,
          c.was,
          input.dateKeys.has(c.key)
            ? '日付はサイドバーの操作や訂正で記録されます。'
            : 'この列はアドオンが書き込みます。',
        );
      continue;
    }
    const acc = accepted.progress.get(progressKey(c.id, c.department));
    if (!acc) {
      // A department added by hand: accepted as 未提示, then moved forward if allowed.
      planned.push({ kind: 'newDepartment', cell: c });
      continue;
    }
    const was = (acc.stage || '未提示') as DeptState;
    row.stage = was;
    if ((c.now || '未提示') !== was) planned.push({ kind: 'move', cell: c, from: was });
  }
  // An editor Sheets does not name is judged with PT rights (PRODUCT.md).
  const draft = new Draft(base, { ...actor, role: actor.role ?? 'PT' });
  for (const step of planned) {
    const c = step.cell;
    if (step.kind === 'proposalCell') applyProposalCell(draft, step.proposal, c, back);
    else if (step.kind === 'move') moveStage(draft, c, step.from, back, told);
    else if (!base.proposals.some((p) => p.id === c.id)) back(c, '', `ID ${c.id} は台帳にありません。`);
    else if (!base.departments.some((d) => d.name === c.department && d.active))
      back(c, '', `所管課「${c.department}」は所管課シートにないか、無効です。`);
    else {
      draft.log(c.id, c.department, HISTORY_EVENTS.departmentAdded, '', c.department);
      if (c.now && c.now !== '未提示') moveStage(draft, c, '未提示', back, told);
    }
  }
  return { putBacks, told, draft, changed };
}

function moveStage(
  draft: Draft,
  c: EditedCell,
  was: DeptState,
  back: (c: EditedCell, v: string, why: string) => void,
  told: CellNote[],
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
    setDepartmentStage(draft, { id: c.id, department: c.department, stage: c.now as DeptState, reason: '' });
    // Typed without a date: the move is recorded as of today, and the cell says so.
    const day = shortWareki(draft.actor.today);
    const dated = DATE_OF_STAGE[c.now];
    told.push({
      row: c.row,
      col: c.col,
      key: c.key,
      value: c.now,
      note: `「${c.now}」を効力日 ${day}(今日)として記録しました${dated ? `(${dated}も ${day})` : ''}。日付が違うときは、事務局に訂正を依頼してください。`,
    });
  } catch (e) {
    if (!(e instanceof Refused)) throw e;
    back(c, was, e.message);
  }
}

const isEditable = (key: string): key is EditableField =>
  (EDITABLE_FIELDS as readonly string[]).includes(key);

/** A typed cell of 課題一覧, through the same operations (and rules) as the sidebar's forms. */
function applyProposalCell(
  draft: Draft,
  p: Proposal,
  c: EditedCell,
  back: (c: EditedCell, v: string, why: string) => void,
) {
  const { key, was } = c;
  if (c.now === was) return;
  // The sidebar cannot change 種別 either: the ID's U/S, 目線 and 場面・分類 all follow from it.
  if (key === 'kind')
    return back(
      c,
      was,
      '種別は変更できません(IDの U・S が種別を表します)。別の種別の課題として登録し直してください。',
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
    } else if (key === 'endReason') {
      if (p.judgment === '検討終了')
        recordJudgment(draft, { id: p.id, judgment: '検討終了', endReason: c.now, reason: '' });
      else back(c, was, '終了理由は検討終了の判断と一緒に記録されます。');
    } else if (isEditable(key)) {
      updateProposal(draft, p.id, undefined, { [key]: c.now });
    }
  } catch (e) {
    if (!(e instanceof Refused)) throw e;
    back(c, was, e.message);
  }
}
