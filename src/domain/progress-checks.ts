// Progress checks (実施状況の確認) for carried-over proposals: on the months 設定 names (quarterly
// by default), each department consulted (②) on a carried-over proposal the PT continues (検討継続)
// is asked for its 実施状況, once per period. A department with several such proposals gets one
// email listing them, each with its own link: five separate emails in one morning would be read
// as five tasks. Pure: the daily trigger (server/progress-checks.ts) supplies what was already
// asked, from the add-on's own record.

import * as z from 'zod/mini';
import type { IsoDate } from './dates';
import { reiwaYear } from './dates';
import { HISTORY_EVENTS } from './history-entry';
import type { DeptState } from './labels';

/** 送信記録's 種類 of the email asking a department for the 実施状況 of its carried-over proposals. */
export const PROGRESS_MAIL_KIND = '実施状況確認';
/** 変更履歴's 項目 of a department's answer (新値 the 実施状況 it chose, 理由 its note). */
export const PROGRESS_ANSWER_FIELD = HISTORY_EVENTS.progressAnswer;
/**
 * The 実施状況 that means done: the last entry of 設定's list (完了 in the default list, whatever
 * the secretariat renames it to). A proposal there is not asked again (an answer in its round may
 * still correct it).
 */
export const doneStatusOf = (implementationList: readonly string[]): string =>
  implementationList[implementationList.length - 1] ?? '';

const FISCAL_MONTHS = [4, 5, 6, 7, 8, 9, 10, 11, 12, 1, 2, 3];
export const SCHEDULE_PRESETS: Readonly<Record<string, readonly number[]>> = {
  四半期ごと: [4, 7, 10, 1],
  半年ごと: [4, 10],
  毎月: FISCAL_MONTHS,
  しない: [],
};
export const DEFAULT_SCHEDULE = '四半期ごと';

export type ProgressSchedule = { ok: true; months: number[] } | { ok: false; message: string };

const SCHEDULE_MESSAGE =
  '設定「実施状況の確認」は「四半期ごと」「半年ごと」「毎月」「しない」のいずれか、または確認する月(例: 4月、7月、10月、1月)で入力してください。';

const toHalfWidth = (s: string) =>
  s.replace(/[０-９]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0));

/** 設定's 実施状況の確認: a preset, or months (4月、7月、10月、1月 / 4,7,10,1), in 年度 order. */
export const progressScheduleSchema = z.pipe(
  z.string().check(z.trim()),
  z.transform((s: string, ctx) => {
    const text = s || DEFAULT_SCHEDULE;
    const preset = SCHEDULE_PRESETS[text];
    if (preset) return [...preset];
    const parts = toHalfWidth(text)
      .split(/[、,，・;\s]+/)
      .filter(Boolean);
    const months = parts.map((p) => /^(\d{1,2})月?$/.exec(p)?.[1]).map(Number);
    if (!parts.length || months.some((m) => !Number.isInteger(m) || m < 1 || m > 12)) {
      ctx.issues.push({ code: 'custom', message: SCHEDULE_MESSAGE, input: s });
      return z.NEVER;
    }
    return FISCAL_MONTHS.filter((m) => months.includes(m));
  }),
);

export function parseProgressSchedule(text: string): ProgressSchedule {
  const parsed = progressScheduleSchema.safeParse(text);
  return parsed.success
    ? { ok: true, months: parsed.data }
    : { ok: false, message: parsed.error.issues[0]?.message ?? SCHEDULE_MESSAGE };
}

const pad = (n: number) => String(n).padStart(2, '0');

/**
 * The period `today` falls in: the latest scheduled month that has begun ('2026-07'), or null
 * when nothing is scheduled.
 */
export function periodOf(today: IsoDate, months: readonly number[]): string | null {
  let [y, m] = today.split('-').map(Number) as [number, number];
  for (let k = 0; k < 12; k++) {
    if (months.includes(m)) return `${y}-${pad(m)}`;
    m -= 1;
    if (m === 0) [y, m] = [y - 1, 12];
  }
  return null;
}

/** The 年度 a period belongs to. */
export const periodFiscalYear = (period: string): number => {
  const [y, m] = period.split('-').map(Number) as [number, number];
  return m >= 4 ? y : y - 1;
};

/** '2026-07' → '令和8年7月' (the round's name in emails and pages). */
export function periodLabel(period: string): string {
  const [y, m] = period.split('-').map(Number) as [number, number];
  return `令和${reiwaYear(y)}年${m}月`;
}

/** What a progress-check link names: one proposal, one department, one period. */
export const progressCheckKey = (id: string, department: string, period: string) =>
  `${id}|${department}|${period}`;
export function parseProgressCheckKey(
  key: string,
): { id: string; department: string; period: string } | null {
  const [id = '', department = '', period = '', ...rest] = key.split('|');
  if (!id || !department || !/^\d{4}-\d{2}$/.test(period) || rest.length) return null;
  return { id, department, period };
}

export interface CheckProposal {
  id: string;
  judgment: string;
  implementation: string;
}
export interface CheckProgress {
  id: string;
  department: string;
  stage: DeptState | string;
}

/**
 * Why a department can no longer report on a carried-over proposal, or null while it can: the PT
 * must still continue it (検討継続) and the department must be the one consulted (②), not done
 * (④), removed (所管外) or taken back (未提示).
 */
export function progressClosedReason(
  proposal: CheckProposal,
  departments: readonly CheckProgress[],
  department: string,
): string | null {
  if (proposal.judgment === '検討終了') return 'PTがこの課題(提案)の検討終了を判断しました';
  if (proposal.judgment !== '検討継続') return 'この課題(提案)の検討継続の判断が取り消されています';
  const mine = departments.find((r) => r.department === department);
  if (!mine) return `${department}はこの課題(提案)の所管課ではありません`;
  if (mine.stage === '④') return `${department}はこの課題(提案)に対応済(④)です`;
  if (mine.stage === '所管外') return `${department}は所管外として外されています`;
  if (mine.stage !== '②') return `${department}はこの課題(提案)の協議済(②)の所管課ではありません`;
  return null;
}

export interface PlanInput {
  today: IsoDate;
  /** 設定's 年度: only its periods are planned, only proposals carried into it. */
  fiscalYear: number;
  months: readonly number[];
  /** The proposals carried into `fiscalYear` (継続検討 rows). */
  carriedIds: readonly string[];
  proposals: readonly CheckProposal[];
  progress: readonly CheckProgress[];
  /** `${period}|${department}` of every request already queued (the add-on's record). */
  requested: ReadonlySet<string>;
  /** 設定's 実施状況 list: its last entry means done (doneStatusOf). */
  implementationList: readonly string[];
}

export interface PlannedRound {
  period: string;
  /** One email per department, listing its proposals in the order they were carried over. */
  requests: { department: string; ids: string[] }[];
}

export const roundKey = (period: string, department: string) => `${period}|${department}`;

/**
 * The requests due today: for the current period of `fiscalYear`, each department consulted (②)
 * on a carried-over proposal the PT continues, not yet done (doneStatusOf), and not already asked this period.
 * A department already asked this period waits for the next one (one email per period).
 */
export function planProgressChecks(input: PlanInput): PlannedRound | null {
  const period = periodOf(input.today, input.months);
  if (!period || periodFiscalYear(period) !== input.fiscalYear) return null;
  const byId = new Map(input.proposals.map((p) => [p.id, p]));
  const depts = new Map<string, CheckProgress[]>();
  for (const r of input.progress) depts.set(r.id, [...(depts.get(r.id) ?? []), r]);
  const asked = new Map<string, string[]>();
  const done = doneStatusOf(input.implementationList);
  for (const id of new Set(input.carriedIds)) {
    const p = byId.get(id);
    if (!p || (done && p.implementation === done)) continue;
    const rows = depts.get(id) ?? [];
    for (const r of rows) {
      if (progressClosedReason(p, rows, r.department)) continue;
      if (input.requested.has(roundKey(period, r.department))) continue;
      asked.set(r.department, [...(asked.get(r.department) ?? []), id]);
    }
  }
  const requests = [...asked].map(([department, ids]) => ({ department, ids }));
  return requests.length ? { period, requests } : null;
}
