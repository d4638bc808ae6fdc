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
  /** A format Sheets applies when the cell has none (dates, percents). */
  fmt?: string;
}

/**
 * Parses a string as Sheets does for typed input and for setValue(s) in a ja_JP spreadsheet:
 * '=…' a formula, a leading apostrophe forces text, numbers with separators, percents, dates
 * (yyyy/m/d, yyyy-m-d, m/d this year), times, TRUE/FALSE. Plain-text cells ('@') keep the string.
 */
export function parseUserEntered(s: string, cellFormat: string | undefined, year: number): Parsed {
  if (cellFormat === '@') return { v: s };
  if (s.startsWith("'")) return { v: s.slice(1) };
  if (s.startsWith('=') && s.length > 1) return { v: '#ERROR!', f: s };
  const t = s.trim();
  if (t === '') return { v: s };
  // Only text starting with a digit, sign, point or t/f can become a number, date, time or boolean.
  if (!/^[\d+\-.tfTF]/.test(t)) return { v: s };
  if (/^(true|false)$/i.test(t)) return { v: t.toLowerCase() === 'true' };
  let m = /^([+-]?)(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?(%?)$/.exec(t);
  if (m) {
    const n = Number(`${m[1]}${m[2]!.replace(/,/g, '')}${m[3] ?? ''}`);
    return m[4] ? { v: n / 100, fmt: '0%' } : { v: n };
  }
  m = /^[+-]?\.\d+$/.exec(t);
  if (m) return { v: Number(t) };
  m = /^(\d{4})[/-](\d{1,2})[/-](\d{1,2})(?:\s+(\d{1,2}):(\d{2})(?::(\d{2}))?)?$/.exec(t);
  if (m && validDay(Number(m[1]), Number(m[2]), Number(m[3]))) {
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
  if (m && Number(m[1]) < 24 && Number(m[2]) < 60) {
    return { v: (Number(m[1]) * 3600 + Number(m[2]) * 60 + Number(m[3] ?? 0)) / 86400, fmt: 'H:mm:ss' };
  }
  return { v: s };
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
  if (fmt === '#,##0') return Math.round(v).toLocaleString('en-US');
  // A whole number with quoted text around it, as 0"件" shows 5 as 5件.
  const unit = fmt && /^(?:"([^"]*)")?0(?:"([^"]*)")?$/.exec(fmt);
  if (unit) return `${unit[1] ?? ''}${Math.round(v)}${unit[2] ?? ''}`;
  return String(Number.isInteger(v) ? v : Number(v.toPrecision(15)));
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
