// Rebuilding 集計: after a sidebar save at once; after a hand edit at most once a minute (otherwise
// marked dirty for the 10-minute trigger); from the menu or the sidebar on demand, for a person
// with a role in 設定 (checked before anything is written).
import type * as z from 'zod/mini';
import { fiscalYearLabel, fiscalYearOf, fiscalYearStart, type IsoDate, warekiDate } from '../domain/dates';
import { type DeadlineState, requestDeadlines, sentOnOf } from '../domain/deadlines';
import { CARRY_FIELD, carriedInto, carriedOverSummary } from '../domain/fiscal-year';
import type { ChangePath } from '../domain/labels';
import type { MailRow } from '../domain/mail';
import { Refused } from '../domain/operations';
import { type Correction, REPLAYED_FIELDS, type Replayed, replayAsOf } from '../domain/replay';
import { summaryRequestSchema } from '../domain/schemas';
import { effectiveStage } from '../domain/stage';
import { buildSummary, type Summary } from '../domain/summary';
import { readReplayEntries } from '../sheets/history';
import { SHEETS } from '../sheets/layout';
import { type CountedState, loadCounted, NotSetUp } from '../sheets/register';
import { theRegister } from '../sheets/register-scope';
import { type SummaryPrint, writeSummarySheet } from '../sheets/summary-sheet';
import { workingCalendar } from './calendar';
import { clockFor } from './clock';
import { ownerEmail, roleOf, scriptProps, sidebarCaller } from './context';
import { type FiscalStart, readFiscalStart } from './fiscal-year';
import { withScriptLock } from './lock';
import { readQueue } from './mail-store';
import { parseOrRefuse } from './mutate';
import { latestPerDay, readPublished } from './published';

type Spreadsheet = GoogleAppsScript.Spreadsheet.Spreadsheet;

export const PROP_DIRTY = 'SUMMARY_DIRTY';
const CARRY_ONLY: ReadonlySet<string> = new Set([CARRY_FIELD]);
const REPLAYED_WITH_CARRY: ReadonlySet<string> = new Set([...REPLAYED_FIELDS, CARRY_FIELD]);
const PROP_BUILT_AT = 'SUMMARY_BUILT_AT';
/** What is on 集計 (summary-sheet.ts), so that a rebuild after a change writes only what changed. */
const PROP_PRINT = 'SUMMARY_PRINT';
const MIN_INTERVAL_MS = 60_000;

export interface SummaryOptions {
  asOf?: IsoDate;
  fiscalYear?: number;
  /** List the published reports (確定) and what changed after them: not for a report itself. */
  reported?: boolean;
}

/** Computes the summary: from the current records for today, replayed from 変更履歴 for an earlier day. */
export function computeSummary(ss: Spreadsheet, opts: SummaryOptions = {}, loaded?: CountedState): Summary {
  const today = clockFor(ss).today;
  const state = loaded ?? loadCounted(ss, today);
  const { settings } = state;
  const asOf = opts.asOf ?? today;
  if (asOf > today) {
    // The register cannot say how a later day will stand: a label with today's figures would mislead.
    const message = `時点は今日(${warekiDate(today)})までの日付を入力してください。`;
    throw new Refused('invalid', message, { asOf: message });
  }
  let records: Replayed & { corrections?: Correction[] } = {
    proposals: state.proposals,
    progress: state.progress,
  };
  const fiscalYear = opts.fiscalYear ?? settings.fiscalYear;
  // Carried into this 年度 (継続検討 rows): read from 変更履歴 only when the 年度 was started here.
  let carriedIds: string[] | null = null;
  if (asOf < today) {
    const entries = readReplayEntries(ss.getSheetByName(SHEETS.history)!, REPLAYED_WITH_CARRY, asOf);
    records = replayAsOf(records, entries, asOf);
    const ids = entries.filter((e) => carriedInto(e) === fiscalYear).map((e) => e.id);
    if (ids.length || readFiscalStart(fiscalYear)) carriedIds = ids;
  } else {
    const start = readFiscalStart(fiscalYear);
    if (start) carriedIds = carriedFromIndex(ss, fiscalYear, start, asOf);
  }
  const summary = buildSummary({
    projectName: settings.projectName,
    fiscalYear,
    asOf,
    lists: settings.lists,
    proposals: records.proposals,
    progress: records.progress,
    departments: state.departments,
    corrections: records.corrections,
    dueDates: dueDatesAsOf(ss, { ...state, ...records }, asOf),
  });
  if (carriedIds) {
    const byId = new Map(records.proposals.map((p) => [p.id, p]));
    const depts = new Map<string, Replayed['progress']>();
    for (const r of records.progress) {
      if (r.stage === '所管外') continue;
      const list = depts.get(r.id);
      if (list) list.push(r);
      else depts.set(r.id, [r]);
    }
    summary.carriedOver = carriedOverSummary(
      fiscalYear,
      carriedIds,
      byId,
      settings.lists.implementation,
      (id, judgment) => effectiveStage(depts.get(id) ?? [], judgment).stage,
    );
  }
  // Today's tab lists every report of the 年度; a view of another day, that day's reports only.
  if (opts.reported !== false)
    summary.reported = latestPerDay(readPublished(ss, fiscalYear, asOf === today ? undefined : asOf));
  return summary;
}

/**
 * The IDs carried into a 年度: the rows its start wrote, read where the index says (a rebuild after
 * every save must not read 変更履歴 whole); the whole history when those rows are not all there.
 */
export function carriedFromIndex(
  ss: Spreadsheet,
  fiscalYear: number,
  start: FiscalStart,
  asOf: IsoDate,
): string[] {
  const sheet = ss.getSheetByName(SHEETS.history)!;
  const ofYear = (es: ReturnType<typeof readReplayEntries>) =>
    es.filter((e) => carriedInto(e) === fiscalYear).map((e) => e.id);
  if (start.count === 0) return [];
  const at = ofYear(readReplayEntries(sheet, CARRY_ONLY, asOf, { from: start.row, count: start.count }));
  return at.length === start.count ? at : ofYear(readReplayEntries(sheet, CARRY_ONLY, asOf));
}

/**
 * 回答期限 of the latest request sent on or before `asOf` per (proposal, department), from what the
 * add-on recorded (never 送信記録's cells); none before setup.
 */
function dueDatesAsOf(
  ss: Spreadsheet,
  state: DeadlineState,
  asOf: IsoDate,
): Map<string, IsoDate> | undefined {
  let log: MailRow[];
  try {
    log = readQueue(ss).rows.filter((r) => r.mailKind === '依頼' && sentOnOf(r) && sentOnOf(r) <= asOf);
  } catch (e) {
    if (e instanceof NotSetUp) return undefined;
    throw e;
  }
  const out = new Map<string, IsoDate>();
  for (const [key, d] of requestDeadlines(state, log, workingCalendar(), asOf)) out.set(key, d.dueDate);
  return out;
}

const printFrom = (text: string | undefined): SummaryPrint | null => {
  try {
    const p = JSON.parse(text ?? '') as SummaryPrint;
    return p && typeof p.shape === 'string' && Array.isArray(p.digests) ? p : null;
  } catch {
    return null;
  }
};

/**
 * Rebuilds 集計. `afterChange` (the script properties as read) makes it a rebuild after a change:
 * only the rows whose values changed are written, as the print kept there says. Otherwise (a
 * rebuild someone asked for, or the 10-minute run's) every value is written again; the formatting
 * and the chart are redone only when the layout's shape changed.
 */
export function rebuildSummary(
  ss: Spreadsheet,
  opts: SummaryOptions = {},
  loaded?: CountedState,
  afterChange?: Record<string, string>,
): Summary {
  const summary = computeSummary(ss, opts, loaded);
  let sheet = ss.getSheetByName(SHEETS.summary);
  const fresh = !sheet;
  if (!sheet) sheet = ss.insertSheet(SHEETS.summary, 0);
  const props = afterChange ?? scriptProps().getProperties();
  const before = fresh ? null : printFrom(props[PROP_PRINT]);
  const print = writeSummarySheet(sheet, summary, before, afterChange ? 'changed' : 'all');
  scriptProps().setProperties({
    [PROP_DIRTY]: '',
    [PROP_BUILT_AT]: String(Date.now()),
    [PROP_PRINT]: JSON.stringify(print),
  });
  return summary;
}

/** Whether a change made by `path` rebuilds 集計 at once; otherwise it only marks it. */
export function rebuildsAtOnce(path: ChangePath, all: Record<string, string>): boolean {
  const builtAt = Number(all[PROP_BUILT_AT] ?? 0);
  return (
    path === 'サイドバー' ||
    path === '回答ページ' ||
    path === '取込' ||
    Date.now() - builtAt >= MIN_INTERVAL_MS
  );
}

/** Called after every committed change. */
export function afterChange(ss: Spreadsheet, path: ChangePath, state: CountedState): void {
  const props = scriptProps();
  const all = props.getProperties();
  if (rebuildsAtOnce(path, all)) rebuildSummary(ss, {}, state, all);
  else props.setProperty(PROP_DIRTY, '1');
}

/** A change that the summary may show: rebuild on the next 10-minute run. */
export function markSummaryDirty(): void {
  scriptProps().setProperty(PROP_DIRTY, '1');
}

/** Whether 集計 waits for a rebuild, from the script properties as read. */
export const summaryDirty = (props: Record<string, string>) => !!props[PROP_DIRTY];

export function rebuildIfDirty(ss: Spreadsheet): boolean {
  if (!scriptProps().getProperty(PROP_DIRTY)) return false;
  rebuildSummary(ss);
  return true;
}

/**
 * A summary someone asked for (sidebar, menu, CLI): `email` must have a role in 設定 (the owner is
 * always 事務局), and a 年度 must not run past next year's (or 設定's, when set further): both
 * checked on the one read, before anything is written. Only today's view of 設定's 年度 is 集計's
 * (rebuilt under the lock); any other day or 年度 is the viewer's own: computed, returned,
 * written nowhere, no lock taken.
 */
export function rebuildSummaryFor(
  email: string,
  opts: SummaryOptions & { write?: boolean },
): Summary & { view: 'shared' | 'personal'; warnings: string[] } {
  const ss = theRegister();
  const today = clockFor(ss).today;
  const mayShare = opts.write !== false && (!opts.asOf || opts.asOf === today);
  const work = () => {
    const state = loadCounted(ss, today);
    if (!roleOf(email, state.settings, ownerEmail()))
      throw new Refused(
        'forbidden',
        '集計を見る権限がありません。事務局に、設定シートの「PTメンバー」への追加を依頼してください。',
      );
    const latest = Math.max(fiscalYearOf(today) + 1, state.settings.fiscalYear);
    if (opts.fiscalYear !== undefined && opts.fiscalYear > latest) {
      const message = `年度は${fiscalYearLabel(latest)}までを指定してください。`;
      throw new Refused('invalid', message, { fiscalYear: message });
    }
    const fiscalYear = opts.fiscalYear ?? state.settings.fiscalYear;
    const asOf = opts.asOf ?? today;
    const warnings: string[] = [];
    if (fiscalYearOf(asOf) !== fiscalYear)
      warnings.push(
        `時点(${warekiDate(asOf)})は${fiscalYearLabel(fiscalYear)}(${warekiDate(fiscalYearStart(fiscalYear))}〜${warekiDate(fiscalYearStart(fiscalYear + 1).replace(/-04-01$/, '-03-31'))})の外の日付です。その年度の課題を、この日の状態で数えています。`,
      );
    const shared = mayShare && fiscalYear === state.settings.fiscalYear;
    const summary = shared ? rebuildSummary(ss, {}, state) : computeSummary(ss, { asOf, fiscalYear }, state);
    return { ...summary, view: shared ? ('shared' as const) : ('personal' as const), warnings };
  };
  return mayShare ? withScriptLock(work) : work();
}

/**
 * apiRefreshSummary: what the sidebar calls, without waiting, after a save it made. A save reads
 * only the proposal it changes, so it marks 集計 instead of counting the register; this brings 集計
 * up to date at once (values only, the rows that changed), or does nothing when nothing is marked.
 * A role in 設定 is needed, as for any rebuild.
 */
export function refreshSummaryApi(): { refreshed: boolean } {
  const email = sidebarCaller();
  const ss = SpreadsheetApp.getActiveSpreadsheet();
  return withScriptLock(() => {
    const props = scriptProps().getProperties();
    if (!summaryDirty(props)) return { refreshed: false };
    const state = loadCounted(ss, clockFor(ss).today);
    if (!roleOf(email, state.settings, ownerEmail()))
      throw new Refused(
        'forbidden',
        '集計を見る権限がありません。事務局に、設定シートの「PTメンバー」への追加を依頼してください。',
      );
    rebuildSummary(ss, {}, state, props);
    return { refreshed: true };
  });
}

/** The rows of a list a personal view returns to the sidebar: the rest are counted, not sent. */
const LISTED = 500;

/**
 * apiRebuildSummary: today's 集計 for 設定's 年度 (rebuilt), or the viewer's own view of another
 * day or 年度 (never written over 集計), with the reports published for that day and what changed
 * after them.
 */
export function rebuildSummaryApi(payload?: z.input<typeof summaryRequestSchema>) {
  const email = sidebarCaller();
  const opts = parseOrRefuse(summaryRequestSchema, payload ?? {});
  const summary = rebuildSummaryFor(email, opts);
  // The per-proposal lists of 集計 are on the sheet; a personal view sends its first rows (a
  // 10,000-row list would cost more to pass back through google.script.run than to build).
  const { lists, reported = [], ...numbers } = summary;
  const day = reported.filter((r) => r.asOf === summary.asOf).pop();
  return {
    ...numbers,
    listed: { user: lists.user.length, staff: lists.staff.length },
    ...(summary.view === 'personal'
      ? { lists: { user: lists.user.slice(0, LISTED), staff: lists.staff.slice(0, LISTED) } }
      : {}),
    reported: reported.map(({ figures: _f, ...r }) => r),
    published: day ? { sheet: day.sheet, publishedAt: day.publishedAt, by: day.by, ...day.figures } : null,
    changesSincePublished: day?.changes ?? [],
  };
}
