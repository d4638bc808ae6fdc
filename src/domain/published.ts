// A published report (確定): the figures of 集計 for a day and 年度, frozen when the secretariat
// publishes them. The figures live in one sealed 変更履歴 row (項目「報告確定」, 新値 the JSON
// below), never in the published sheet, which people can edit. Later changes whose 効力日 falls on
// or before the report's day are listed against it.

import { type IsoDate, monthDay, shortWareki } from './dates';
import { HISTORY_EVENTS } from './history-entry';
import { REPLAYED_FIELDS } from './replay';
import type { Summary } from './summary';

export const PUBLISH_FIELD = HISTORY_EVENTS.published;

/** The fields whose later change can alter what a report counted or listed. */
export const REPORTED_FIELDS: ReadonlySet<string> = new Set([
  ...REPLAYED_FIELDS,
  '種別',
  '場面・分類',
  '年度',
  '実施状況',
]);

/** The figures as reported: every number of 集計, and each listed proposal's stage when it fits. */
export type PublishedFigures = Pick<
  Summary,
  'byKind' | 'progress' | 'notPresented' | 'categories' | 'departments' | 'ended' | 'implementation'
> & {
  /** ID → 進捗 as listed; absent when the lists were too long to keep in one history cell. */
  stages?: Record<string, string>;
};

export interface Publication {
  sheet: string;
  asOf: IsoDate;
  fiscalYear: number;
  /** 記録日時 of the history row (the spreadsheet's zone). */
  publishedAt: string;
  by: string;
  figures: PublishedFigures;
}

export interface PublishedReport extends Publication {
  changes: ChangeSincePublished[];
}

export interface ChangeSincePublished {
  id: string;
  department: string;
  field: string;
  from: string;
  to: string;
  effective: IsoDate;
  recordedAt: string;
  who: string;
  reason: string;
}

/** 報告 R7.11.25, or 報告 R7.11.25 (2), (3)… when a name is taken: a report is never overwritten. */
export function reportSheetName(asOf: IsoDate, taken: ReadonlySet<string>): string {
  const base = `報告 ${shortWareki(asOf)}`;
  if (!taken.has(base)) return base;
  for (let n = 2; ; n++) if (!taken.has(`${base} (${n})`)) return `${base} (${n})`;
}

/** A history cell holds 50,000 characters: the per-proposal stages are kept only below this. */
const MAX_JSON = 45_000;

export function publicationJson(s: Summary, sheet: string): string {
  const figures: PublishedFigures = {
    byKind: s.byKind,
    progress: s.progress,
    notPresented: s.notPresented,
    categories: s.categories,
    departments: s.departments,
    ended: s.ended,
    implementation: s.implementation,
  };
  const head = { sheet, asOf: s.asOf, fiscalYear: s.fiscalYear };
  const stages = Object.fromEntries([...s.lists.user, ...s.lists.staff].map((r) => [r.id, r.stage]));
  const whole = JSON.stringify({ ...head, figures: { ...figures, stages } });
  return whole.length <= MAX_JSON ? whole : JSON.stringify({ ...head, figures });
}

/** A verified 報告確定 row back as a publication; null when its 新値 is not one. */
export function parsePublication(e: { new: string; recordedAt: string; user: string }): Publication | null {
  try {
    const v = JSON.parse(e.new) as Partial<Publication>;
    if (!v || typeof v.sheet !== 'string' || typeof v.asOf !== 'string' || typeof v.fiscalYear !== 'number')
      return null;
    if (!v.figures || typeof v.figures !== 'object') return null;
    return {
      sheet: v.sheet,
      asOf: v.asOf,
      fiscalYear: v.fiscalYear,
      publishedAt: e.recordedAt,
      by: e.user,
      figures: v.figures,
    };
  } catch {
    return null;
  }
}

/** A later history row that changes what the report for `asOf` counted (効力日 on or before it). */
export function changeAgainst(
  e: {
    id: string;
    department: string;
    field: string;
    old: string;
    new: string;
    effective: string;
    recordedAt: string;
    user: string;
    reason: string;
  },
  asOf: IsoDate,
): ChangeSincePublished | null {
  if (!e.id || !e.effective || e.effective > asOf || !REPORTED_FIELDS.has(e.field)) return null;
  return {
    id: e.id,
    department: e.department,
    field: e.field,
    from: e.old,
    to: e.new,
    effective: e.effective,
    recordedAt: e.recordedAt,
    who: e.user,
    reason: e.reason,
  };
}

/** 'R7-U03 保護課：段階 ①→②（11月20日付、11月28日 10:00記録、pt@…）理由：…' */
export function changeLine(c: ChangeSincePublished): string {
  const what = c.department ? `${c.id} ${c.department}：${c.field}` : `${c.id}：${c.field}`;
  const from = c.from || '（なし）';
  const to = c.to || '（なし）';
  const recorded = `${monthDay(c.recordedAt.slice(0, 10))} ${c.recordedAt.slice(11, 16)}記録`;
  const why = c.reason ? ` 理由：${c.reason}` : '';
  return `${what} ${from}→${to}（${monthDay(c.effective)}付、${recorded}、${c.who}）${why}`;
}

/** 「※ 11/25時点の報告後に訂正 2件」 */
export function reportedHeading(asOf: IsoDate, sheet: string, count: number): string {
  const [, m, d] = asOf.split('-').map(Number);
  return `※ ${m}/${d}時点の報告後に訂正 ${count}件（確定した報告「${sheet}」は変わりません）`;
}
