// Cell values as Google Sheets keeps them: a number (dates and times are serial days in the
// spreadsheet's wall clock, told apart by their number format), a string, a boolean, or '' for
// empty. Strings written by a script or typed by a person are parsed as "user entered" input
// in a ja_JP spreadsheet (APPS-SCRIPT-SEMANTICS §1.2) unless the cell is plain text ('@').

export type Scalar = string | number | boolean;

export interface CellData {
  v: Scalar;
  /** Formula text ('=…'), kept as typed. Formulas are not evaluated here: they read as '#ERROR!'. */
  f?: string;
  fmt?: string;
  note?: string;
  style?: CellStyle;
  validation?: ValidationData;
}

export interface CellStyle {
  bold?: boolean;
  background?: string;
  hAlign?: string;
  vAlign?: string;
  wrap?: boolean;
  border?: boolean;
  fontColor?: string;
}

export interface ValidationData {
  type: 'VALUE_IN_LIST' | 'CHECKBOX' | 'VALUE_IN_RANGE';
  values: Scalar[];
  allowInvalid: boolean;
  helpText: string;
}

const SERIAL_EPOCH_UTC = Date.UTC(1899, 11, 30);
const DAY_MS = 86_400_000;

/** Offset of `tz` from UTC at instant `ms`, in ms (Intl knows every IANA zone and its DST). */
const formatters = new Map<string, Intl.DateTimeFormat>();
const offsets = new Map<string, number>();

export function tzOffsetMs(tz: string, ms: number): number {
  // Zones change offset on the hour at most: one lookup per zone and hour.
  const key = `${tz}|${Math.floor(ms / 3_600_000)}`;
  const known = offsets.get(key);
  if (known !== undefined) return known;
  let f = formatters.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: tz,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(tz, f);
  }
  const parts = f.formatToParts(new Date(ms));
  const get = (t: string) => Number(parts.find((p) => p.type === t)!.value);
  const wall = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
  const offset = wall - Math.floor(ms / 1000) * 1000;
  offsets.set(key, offset);
  return offset;
}

/** An instant → the serial of its wall-clock time in `tz` (as Sheets stores a written Date). */
export function instantToSerial(ms: number, tz: string): number {
  return (ms + tzOffsetMs(tz, ms) - SERIAL_EPOCH_UTC) / DAY_MS;
}

/** A serial read in `tz` → the instant (what getValue's Date holds). */
const instants = new Map<string, Map<number, number>>();

export function serialToInstant(serial: number, tz: string): number {
  // A sheet holds few distinct dates and a read converts every one: one conversion per serial.
  let known = instants.get(tz);
  if (!known) instants.set(tz, (known = new Map()));
  const cached = known.get(serial);
  if (cached !== undefined) return cached;
  const wall = Math.round(serial * DAY_MS) + SERIAL_EPOCH_UTC;
  // Two passes settle the offset across a DST change.
  let ms = wall - tzOffsetMs(tz, wall);
  ms = wall - tzOffsetMs(tz, ms);
  known.set(serial, ms);
  return ms;
}

export const wallToSerial = (y: number, m: number, d: number, hh = 0, mm = 0, ss = 0) =>
  (Date.UTC(y, m - 1, d, hh, mm, ss) - SERIAL_EPOCH_UTC) / DAY_MS;

const dateFormats = new Map<string, boolean>();

/** A number format shows a date or time when it has date/time letters outside quotes (cached: read per cell). */
export function isDateFormat(fmt: string | undefined): boolean {
  if (!fmt || fmt === '@') return false;
  let known = dateFormats.get(fmt);
  if (known === undefined) {
    const bare = fmt.replace(/"[^"]*"|\\./g, '');
    known = /[ydhs]/i.test(bare) || /(^|[^0#])m/i.test(bare);
    dateFormats.set(fmt, known);
  }
  return known;
}

export const DEFAULT_DATE_FORMAT = 'yyyy/MM/dd';
export const DEFAULT_DATETIME_FORMAT = 'yyyy/MM/dd H:mm:ss';

export interface Parsed {
  v: Scalar;
  f?: string;
  /** A format Sheets applies when the cell has none (dates, percents, currency, exponents). */
  fmt?: string;
}

/**
 * What a ja_JP sheet makes of typed text (typed by a person, or written by setValue(s), which
 * parses as typed: APPS-SCRIPT-SEMANTICS §1.2). One row per form, each with its source; the
 * evidence tags are the semantics doc's: D documented, R reported, I inference. The first row
 * whose pattern matches decides. Forms in UNKNOWN_FORMS have no source and stay text.
 */
export const TYPED_FORMS: readonly { form: string; example: string; becomes: string; source: string }[] = [
  {
    form: 'plain-text cell (number format @)',
    example: '00123 in an @ cell',
    becomes: 'the string exactly as typed (a leading apostrophe included)',
    source: 'R: github.com/vlucas/sheetquery/issues/20 (@ keeps strings); §1.2; I for the apostrophe',
  },
  {
    form: 'leading apostrophe',
    example: "'00123",
    becomes: 'text without the apostrophe',
    source: 'R: github.com/theoephraim/node-google-spreadsheet/issues/696; §1.2',
  },
  {
    form: '= formula',
    example: '=1+1',
    becomes: 'a formula (not evaluated offline: reads #ERROR!)',
    source: 'D: Range.setValue reference; Sheets API ValueInputOption USER_ENTERED ("=1+2" a formula)',
  },
  {
    form: 'TRUE / FALSE in any case',
    example: 'true',
    becomes: 'a boolean',
    source: 'D/R: §1.2 (USER_ENTERED; "TRUE"/"true" become booleans)',
  },
  {
    form: 'number: sign, digits, decimals, leading zeros',
    example: '00123, -2.5, .5',
    becomes: 'a number',
    source: "D: Range.setValues reference example ('2.000'); R: vlucas/sheetquery#20 ('00123' → 123)",
  },
  {
    form: 'number with thousands separators',
    example: '1,000,000',
    becomes: 'a number',
    source: "D: Range.setValues reference example ('1,000,000')",
  },
  {
    form: 'number with an exponent',
    example: '1E5, 2.5e-3, -1e+2',
    becomes: 'a number shown in scientific format (0.00E+00)',
    source:
      'R: github.com/Kirk3gaard/2025-Crowdsource-GPU-basecalling-stats/issues/1 and /5 (typed 4.397801e+06 became a number shown as 4.40E+12)',
  },
  {
    form: 'digits separated by single spaces',
    example: '22 34',
    becomes: 'the number with the spaces removed',
    source: 'R: vlucas/sheetquery#20 (one user: "22 34" became 2234)',
  },
  {
    form: 'percent',
    example: '10%, 12.5%',
    becomes: 'the number / 100 with a percent format',
    source: "D/R: §1.2 ('50%' → 0.5 with percent format)",
  },
  {
    form: 'yen amount (the ja_JP currency)',
    example: '¥1,000',
    becomes: 'the number with a yen currency format',
    source:
      "D/R: §1.2 ('$2.99' → 2.99 with currency format in the US locale); R: grethz.com 'Formatting cell data … part VII: currency' (a typed amount is detected only with the locale's own currency symbol); I: ja_JP's is ¥",
  },
  {
    form: 'date y/m/d or y-m-d, with an optional time H:mm[:ss]',
    example: '2025/1/1, 2025-01-02, 2025/1/1 9:30',
    becomes: 'a date (serial) with a date or date-time format',
    source: "D/R: §1.2 ('2024-01-02' and 'Mar 1 2016' become dates; docs.sheetdb.io mirrors USER_ENTERED)",
  },
  {
    form: 'date m/d (this year)',
    example: '1/2',
    becomes: 'a date in the current year (month first: the ja_JP order)',
    source: "R: §13.3 ('1/2' converted); I: month/day order in ja_JP and the current year",
  },
  {
    form: 'time H:mm[:ss]',
    example: '9:30, 10:00:00',
    becomes: 'a time (fraction of a day) with a time format',
    source: 'I: §1.1 (time-only values are serials near 1899-12-30, shown as 10:00:00)',
  },
  {
    form: 'formula led by + or - (not a number, date or time)',
    example: '+1+2, -A1, +81 3-1234-5678',
    becomes: "a formula '=' + the text (not evaluated offline: reads #ERROR!)",
    source:
      'R: github.com/nithinmurali/pygsheets/pull/373 (USER_ENTERED text starting with + became a formula); github.com/mrmans0n/localio/issues/1 (Sheets asks for an apostrophe before + or =); CSV-injection guides naming Google Sheets for leading + and - (e.g. hugofara.github.io/lwt CsvFormulaGuard)',
  },
];

/** Forms with no source found: left as text, so a test can see them listed rather than guessed. */
export const UNKNOWN_FORMS: readonly { example: string; note: string }[] = [
  {
    example: '12月1日, 2025年12月1日',
    note: 'Japanese month-day dates: no source found for what ja_JP Sheets does',
  },
  { example: 'R7.11.25, 令和7年11月25日', note: 'Japanese era dates: no source found' },
  {
    example: '$5, US$5, €5',
    note: 'a currency other than the locale’s (the currency source says only the locale’s is detected)',
  },
  { example: '￥1,000, １２３', note: 'full-width yen sign and digits: no source found' },
  { example: '(1,000), 1,000-', note: 'accounting negatives: no source found' },
  { example: '@A1', note: 'a leading @ (CSV-injection guides list it; nothing says what Sheets stores)' },
  { example: '+, -, ---', note: 'a sign alone or signs only: no source found for a formula error' },
  { example: '10:00 AM, 午前10時', note: 'times with AM/PM or Japanese markers: no source found' },
  { example: '2025/11, 2025-11', note: 'a year and month without a day: no source found' },
  { example: '11/25/2025, 25.11.2025', note: 'day or month before the year: no source found for ja_JP' },
];

const formulaOf = (s: string): Parsed => ({ v: '#ERROR!', f: s.startsWith('=') ? s : `=${s}` });

/**
 * Parses a string as a ja_JP sheet does for typed input and for setValue(s): the forms of
 * TYPED_FORMS in their order; anything else, and every form of UNKNOWN_FORMS, stays text.
 */
export function parseUserEntered(s: string, cellFormat: string | undefined, year: number): Parsed {
  if (cellFormat === '@') return { v: s };
  if (s.startsWith("'")) return { v: s.slice(1) };
  if (s.startsWith('=') && s.length > 1) return formulaOf(s);
  const t = s.trim();
  if (t === '') return { v: s };
  // Only text starting with a digit, sign, point, ¥ or t/f can become a number, date, time, boolean or formula.
  if (!/^[\d+\-.¥tfTF]/.test(t)) return { v: s };
  if (/^(true|false)$/i.test(t)) return { v: t.toLowerCase() === 'true' };
  let m = /^([+-]?)(\d{1,3}(?:,\d{3})+|\d+|(?=\.\d))(\.\d+)?(%?)$/.exec(t);
  if (m) {
    const n = Number(`${m[1]}${m[2]!.replace(/,/g, '')}${m[3] ?? ''}` || '0');
    if (!m[4]) return { v: n };
    return { v: n / 100, fmt: m[3] ? '0.00%' : '0%' };
  }
  m = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)[eE][+-]?\d+$/.exec(t);
  if (m && Number.isFinite(Number(t))) return { v: Number(t), fmt: '0.00E+00' };
  m = /^\d+(?: \d+)+$/.exec(t);
  if (m) return { v: Number(t.replace(/ /g, '')) };
  m = /^¥(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?$/.exec(t);
  if (m)
    return { v: Number(`${m[1]!.replace(/,/g, '')}${m[2] ?? ''}`), fmt: m[2] ? '"¥"#,##0.00' : '"¥"#,##0' };
  m = /^(\d{4})[/-](\d{1,2})[/-](\d{1,2})(?:\s+(\d{1,2}):(\d{2})(?::(\d{2}))?)?$/.exec(t);
  if (m && validDay(Number(m[1]), Number(m[2]), Number(m[3])) && validTime(m[4], m[5], m[6])) {
    const hasTime = m[4] !== undefined;
    return {
      v: wallToSerial(
        Number(m[1]),
        Number(m[2]),
        Number(m[3]),
        Number(m[4] ?? 0),
        Number(m[5] ?? 0),
        Number(m[6] ?? 0),
      ),
      fmt: hasTime ? DEFAULT_DATETIME_FORMAT : DEFAULT_DATE_FORMAT,
    };
  }
  m = /^(\d{1,2})\/(\d{1,2})$/.exec(t);
  if (m && validDay(year, Number(m[1]), Number(m[2]))) {
    return { v: wallToSerial(year, Number(m[1]), Number(m[2])), fmt: DEFAULT_DATE_FORMAT };
  }
  m = /^(\d{1,2}):(\d{2})(?::(\d{2}))?$/.exec(t);
  if (m && validTime(m[1], m[2], m[3])) {
    return { v: (Number(m[1]) * 3600 + Number(m[2]) * 60 + Number(m[3] ?? 0)) / 86400, fmt: 'H:mm:ss' };
  }
  // A leading + or - that made no number, date or time makes a formula; a sign alone or signs
  // only are unknown (UNKNOWN_FORMS) and stay text.
  if (/^[+-]/.test(t) && /[^+\-\s]/.test(t)) return formulaOf(t);
  return { v: s };
}

/**
 * Stores typed text in `cell` as Sheets does: the parsed value, its formula, and the format the
 * parse implies when the cell has none (or a date is typed over a number format).
 */
export function storeTyped(cell: CellData, s: string, year: number): void {
  const parsed = parseUserEntered(s, cell.fmt, year);
  cell.v = parsed.v;
  if (parsed.f) cell.f = parsed.f;
  else delete cell.f;
  if (
    parsed.fmt &&
    (!cell.fmt || cell.fmt === 'General' || (isDateFormat(parsed.fmt) && !isDateFormat(cell.fmt)))
  ) {
    cell.fmt = parsed.fmt;
  }
}

function validTime(h: string | undefined, m: string | undefined, sec: string | undefined): boolean {
  return h === undefined || (Number(h) < 24 && Number(m) < 60 && Number(sec ?? 0) < 60);
}

function validDay(y: number, m: number, d: number): boolean {
  const t = new Date(Date.UTC(y, m - 1, d));
  return t.getUTCFullYear() === y && t.getUTCMonth() === m - 1 && t.getUTCDate() === d;
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/** Renders a value as Sheets displays it with a subset of Sheets number formats. */
export function displayValue(cell: CellData | undefined): string {
  if (!cell || cell.v === '') return '';
  const { v, fmt } = cell;
  if (typeof v === 'boolean') return v ? 'TRUE' : 'FALSE';
  if (typeof v === 'string') return v;
  if (isDateFormat(fmt)) return formatSerial(v, fmt!);
  if (fmt === '0%') return `${Math.round(v * 100)}%`;
  if (fmt === '0.00%') return `${(v * 100).toFixed(2)}%`;
  if (fmt === '0.00E+00') return scientific(v);
  // A number with quoted text around it, as 0"件" shows 5 as 5件 and "¥"#,##0 shows 1000 as ¥1,000.
  const unit = fmt && /^(?:"([^"]*)")?(#,##0|0)(\.0+)?(?:"([^"]*)")?$/.exec(fmt);
  if (unit) {
    const decimals = unit[3] ? unit[3].length - 1 : 0;
    const n = Math.abs(v).toLocaleString('en-US', {
      minimumFractionDigits: decimals,
      maximumFractionDigits: decimals,
      useGrouping: unit[2] === '#,##0',
    });
    return `${v < 0 ? '-' : ''}${unit[1] ?? ''}${n}${unit[4] ?? ''}`;
  }
  return String(Number.isInteger(v) ? v : Number(v.toPrecision(15)));
}

/** 0.00E+00: two decimals, a signed exponent of at least two digits (1.00E+05). */
function scientific(v: number): string {
  const [mantissa, exp] = v.toExponential(2).split('e');
  const e = Number(exp);
  return `${mantissa}E${e < 0 ? '-' : '+'}${String(Math.abs(e)).padStart(2, '0')}`;
}

function formatSerial(serial: number, fmt: string): string {
  const d = new Date(Math.round(serial * DAY_MS) + SERIAL_EPOCH_UTC);
  const parts: Record<string, number> = {
    y: d.getUTCFullYear(),
    M: d.getUTCMonth() + 1,
    d: d.getUTCDate(),
    H: d.getUTCHours(),
    m: d.getUTCMinutes(),
    s: d.getUTCSeconds(),
  };
  // Sheets reads 'mm' as minutes after an hour or before seconds, months otherwise.
  return fmt.replace(
    /yyyy|yy|MM|M|dd|d|HH|H|hh|h|mm|m|ss|s|"[^"]*"/g,
    (tok, offset: number, whole: string) => {
      if (tok.startsWith('"')) return tok.slice(1, -1);
      const c = tok[0]!;
      if (c === 'y') return tok.length === 4 ? String(parts.y) : pad(parts.y! % 100);
      if (c === 'd') return tok.length === 2 ? pad(parts.d!) : String(parts.d);
      if (c === 'H' || c === 'h') return tok.length === 2 ? pad(parts.H!) : String(parts.H);
      if (c === 's') return tok.length === 2 ? pad(parts.s!) : String(parts.s);
      const before = whole.slice(0, offset);
      const after = whole.slice(offset + tok.length);
      const isMinute = c === 'm' && (/[hH][^yMd]*$/.test(before) || /^[^yMd]*s/.test(after));
      const n = isMinute ? parts.m! : parts.M!;
      return tok.length === 2 ? pad(n) : String(n);
    },
  );
}
