// Converting between cell values and the domain's strings, with Sheets' typing rules in mind.
import { needsTextMarker } from '../domain/cell-text';

/**
 * Text from people is written so that Sheets keeps it as text: a leading apostrophe stops '=…' from
 * becoming a formula and '001', '2025/11/20' or 'TRUE' from becoming a number, date or boolean.
 */
export function asText(s: string): string {
  // The domain counts the apostrophe when it checks a text fits in a cell (storedLength).
  return needsTextMarker(s) ? `'${s}` : s;
}

/**
 * Text for a plain-text column (number format '@', which setup gives every free-text column of
 * the tables people type in): Sheets stores a string there as it is — no formula, number, date or
 * boolean is made of it, and an apostrophe would be kept as a character — so it is written as is.
 * This relies on the column being '@': a register set up before setup applied it must have
 * 初期設定 run once more (it applies the format to existing registers too).
 */
export const asPlainText = (s: string): string => s;

/** An ISO day → what Sheets reads as that date in a ja_JP sheet (no time zone involved). */
export const asDate = (iso: string): string => (iso ? iso.replace(/-/g, '/') : '');

export type DateFormatter = (d: Date) => string;

/** A read cell → the domain's string: dates as ISO days in the spreadsheet's zone. */
export function cellText(v: unknown, formatDate: DateFormatter): string {
  // Most cells are text: the cheap test first (a register read converts every cell).
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return String(v);
  if (typeof v === 'boolean') return v ? 'TRUE' : 'FALSE';
  if (v instanceof Date) return formatDate(v);
  return v === null || v === undefined ? '' : String(v);
}

/**
 * Dates are read as days in the spreadsheet's zone with Intl (in V8, no service call), so reading
 * a register costs the same calls whatever its size; Utilities.formatDate only if Intl refuses.
 */
export function spreadsheetDateFormatter(ss: GoogleAppsScript.Spreadsheet.Spreadsheet): DateFormatter {
  const tz = ss.getSpreadsheetTimeZone();
  try {
    const f = new Intl.DateTimeFormat('en-CA', {
      timeZone: tz,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
    });
    // A register holds few distinct dates: format each once.
    const seen = new Map<number, string>();
    return (d) => {
      const t = d.getTime();
      let s = seen.get(t);
      if (s === undefined) {
        const p = Object.fromEntries(f.formatToParts(d).map((x) => [x.type, x.value]));
        s = `${p.year}-${p.month}-${p.day}`;
        seen.set(t, s);
      }
      return s;
    };
  } catch {
    return (d) => Utilities.formatDate(d, tz, 'yyyy-MM-dd');
  }
}
