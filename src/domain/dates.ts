// Dates as people in a Japanese city hall write them, 和暦 fiscal years and working days.
// Every date in the domain is an ISO calendar day ('2025-11-25'): no time zone can shift it.

export type IsoDate = string;

const REIWA_OFFSET = 2018;
const ERAS: Record<string, number> = { R: 2018, 令和: 2018, H: 1988, 平成: 1988 };
/** The first and last day of each era: 令和0年, 令和1年4月, 平成32年 are no days at all. */
const ERA_SPAN: Record<number, [IsoDate, IsoDate]> = {
  2018: ['2019-05-01', '9999-12-31'],
  1988: ['1989-01-08', '2019-04-30'],
};

/**
 * 令和元年5月1日: the earliest day the register accepts anywhere (the project and every 年度 it
 * keeps are 令和). A field bound by its 年度 or its 提示日 is bound further (dateBoundsProblem).
 */
export const REIWA_START: IsoDate = '2019-05-01';

const pad = (n: number) => String(n).padStart(2, '0');

export function isoDate(year: number, month: number, day: number): IsoDate | null {
  const d = new Date(Date.UTC(year, month - 1, day));
  if (d.getUTCFullYear() !== year || d.getUTCMonth() !== month - 1 || d.getUTCDate() !== day) return null;
  return `${String(year).padStart(4, '0')}-${pad(month)}-${pad(day)}`;
}

const toHalfWidth = (s: string) =>
  s.replace(/[０-９．／－]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0)).replace(/元/g, '1');

/**
 * Reads 2025-11-25, 2025/11/25, R7.11.25 and 令和7年11月25日 (full-width digits too).
 * Anything else, or a day that does not exist, is null: never guessed.
 */
export function parseDateInput(input: string): IsoDate | null {
  const s = toHalfWidth(input.trim());
  let m = /^(\d{4})[-/](\d{1,2})[-/](\d{1,2})$/.exec(s);
  if (m) return isoDate(Number(m[1]), Number(m[2]), Number(m[3]));
  m = /^(R|H)(\d{1,2})\.(\d{1,2})\.(\d{1,2})$/i.exec(s);
  if (m) return eraDate(ERAS[m[1]!.toUpperCase()]!, Number(m[2]), Number(m[3]), Number(m[4]));
  m = /^(令和|平成)(\d{1,2})年(\d{1,2})月(\d{1,2})日$/.exec(s);
  if (m) return eraDate(ERAS[m[1]!]!, Number(m[2]), Number(m[3]), Number(m[4]));
  return null;
}

/** A 和暦 day, or null when the era had no such year or day (令和0年, 令和元年4月30日, 平成32年). */
function eraDate(offset: number, year: number, month: number, day: number): IsoDate | null {
  if (year < 1) return null;
  const iso = isoDate(offset + year, month, day);
  const [first, last] = ERA_SPAN[offset]!;
  return iso && iso >= first && iso <= last ? iso : null;
}

/** 2025 → '2025-04-01', the first day of that 年度. */
export const fiscalYearStart = (fiscalYear: number): IsoDate => `${fiscalYear}-04-01`;

/** The same day a number of years later (29 February → 28 February). */
export function addYears(date: IsoDate, years: number): IsoDate {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return isoDate(y + years, m, d) ?? isoDate(y + years, m, d - 1)!;
}

/**
 * Why a day is out of its field's bounds, in Japanese naming the field, or null when it is within.
 * `min`/`max` are inclusive; their labels say what the bound is (提示日, 年度の初日…).
 */
export function dateBoundsProblem(
  field: string,
  date: IsoDate,
  bounds: { min?: IsoDate; minLabel?: string; max?: IsoDate; maxLabel?: string },
): string | null {
  const { min, max } = bounds;
  if (min && date < min) {
    const what = bounds.minLabel ? `${bounds.minLabel}(${warekiDate(min)})` : warekiDate(min);
    return `${field}は${what}以降の日付にしてください(入力: ${warekiDate(date)})。`;
  }
  if (max && date > max) {
    const what = bounds.maxLabel ? `${bounds.maxLabel}(${warekiDate(max)})` : warekiDate(max);
    return `${field}は${what}までの日付にしてください(入力: ${warekiDate(date)})。`;
  }
  return null;
}

/** The Japanese fiscal year (年度) a day belongs to: April to March. */
export function fiscalYearOf(date: IsoDate): number {
  const [y, m] = date.split('-').map(Number) as [number, number];
  return m >= 4 ? y : y - 1;
}

/** The 令和 year of a calendar or fiscal year as written in Japanese: 2019 → 元, 2025 → 7. */
export const reiwaYear = (year: number): string => {
  const n = year - REIWA_OFFSET;
  return n === 1 ? '元' : String(n);
};

/** A 年度 as IDs and short labels write it: 2025 → R7 (the ID prefix R7-U01, R7継続検討). */
export const shortFiscalYear = (fiscalYear: number): string => `R${fiscalYear - REIWA_OFFSET}`;

/** 2025 → 令和7年度 (2019 → 令和元年度). */
export function fiscalYearLabel(fiscalYear: number): string {
  return `令和${reiwaYear(fiscalYear)}年度`;
}

/** Reads 令和7年度, 令和7, R7, 2025 or 2025年度 as a fiscal year. */
export function parseFiscalYear(input: string | number): number | null {
  const s = toHalfWidth(String(input).trim());
  let m = /^(\d{4})(年度)?$/.exec(s);
  if (m) return Number(m[1]);
  m = /^(?:令和|R)(\d{1,2})(年度)?$/i.exec(s);
  if (m) return REIWA_OFFSET + Number(m[1]);
  return null;
}

/** '2025-11-25' → '11月25日時点' as in the seed's tables. */
/** '2025-11-25' → '11月25日'. */
export function monthDay(date: IsoDate): string {
  const [, m, d] = date.split('-').map(Number);
  return `${m}月${d}日`;
}

export const asOfLabel = (date: IsoDate): string => `${monthDay(date)}時点`;

/** '2025-11-25' → '令和7年11月25日'. */
export function warekiDate(date: IsoDate): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  // Before 令和 (only ever in a refusal message): the Western year, never 令和0年 or less.
  if (date < REIWA_START) return `${y}年${m}月${d}日`;
  return `令和${reiwaYear(y)}年${m}月${d}日`;
}

function addDays(date: IsoDate, days: number): IsoDate {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const t = new Date(Date.UTC(y, m - 1, d + days));
  return `${t.getUTCFullYear()}-${pad(t.getUTCMonth() + 1)}-${pad(t.getUTCDate())}`;
}

/** A calendar of working days: weekends, national holidays and the year-end closure (12/29–1/3) skipped. */
export class WorkingCalendar {
  private readonly holidays: ReadonlySet<string>;
  constructor(holidays: Iterable<string>) {
    this.holidays = new Set(holidays);
  }

  isWorkingDay(date: IsoDate): boolean {
    const [y, m, d] = date.split('-').map(Number) as [number, number, number];
    const weekday = new Date(Date.UTC(y, m - 1, d)).getUTCDay();
    if (weekday === 0 || weekday === 6) return false;
    if ((m === 12 && d >= 29) || (m === 1 && d <= 3)) return false;
    return !this.holidays.has(date);
  }

  /** The n-th working day after `date` (n ≥ 1). */
  addWorkingDays(date: IsoDate, n: number): IsoDate {
    let day = date;
    for (let left = n; left > 0; ) {
      day = addDays(day, 1);
      if (this.isWorkingDay(day)) left--;
    }
    return day;
  }

  /** Working days after `from` up to and including `to` (0 when `to` ≤ `from`). */
  workingDaysBetween(from: IsoDate, to: IsoDate): number {
    let count = 0;
    for (let day = addDays(from, 1); day <= to; day = addDays(day, 1)) if (this.isWorkingDay(day)) count++;
    return count;
  }
}

export const daysBetween = (from: IsoDate, to: IsoDate): number =>
  Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);

/** '2025-11-25' → 'R7.11.25' as the seed writes days (anything not a 令和 ISO day is shown as it is). */
export function shortWareki(date: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(date);
  if (!m || date.slice(0, 10) < REIWA_START) return date;
  return `R${Number(m[1]) - REIWA_OFFSET}.${Number(m[2])}.${Number(m[3])}`;
}

/** '2025-11-28 10:00:00' (the spreadsheet's zone) → 'R7.11.28 10:00'. */
export function shortWarekiTime(stamp: string): string {
  const time = /[ T](\d{2}:\d{2})/.exec(stamp)?.[1];
  return time ? `${shortWareki(stamp.slice(0, 10))} ${time}` : shortWareki(stamp);
}
