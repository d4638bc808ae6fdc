// Utilities.formatDate "Formats date according to specification described in Java SE
// SimpleDateFormat class" (D: Utilities reference). The pattern letters below are Java's
// (docs.oracle.com/javase/8/docs/api/java/text/SimpleDateFormat.html), with English names and
// the en_US week rules (weeks start on Sunday; the week holding 1 January is week 1), Java's
// default locale on Google's servers (I). Quoted text ('…', '' for a quote) is copied; any other
// ASCII letter throws "Illegal pattern character 'X'" as Java does (R: §10). No maintained
// package implements these letters with time zones, hence this file.
import { tzOffsetMs } from './values';

const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];
const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
/** Java's short names where Intl's en-US has only "GMT+9" (Java prints JST for Asia/Tokyo). */
const SHORT_NAMES: Record<string, string> = {
  'Asia/Tokyo': 'JST',
  'Asia/Seoul': 'KST',
  'Asia/Shanghai': 'CST',
  'Asia/Kolkata': 'IST',
};

export class IllegalPattern extends Error {}
export class UnknownZoneName extends Error {}

/** A zone as Java resolves it: an IANA id, a custom GMT±h[:mm] id, or GMT for anything unknown (I, §10). */
interface Zone {
  id: string;
  offset(ms: number): number;
}

function zoneOf(tz: string): Zone {
  const custom = /^GMT([+-])(\d{1,2})(?::?(\d{2}))?$/.exec(tz);
  if (custom) {
    const off = (custom[1] === '-' ? -1 : 1) * (Number(custom[2]) * 60 + Number(custom[3] ?? 0)) * 60_000;
    return { id: tz, offset: () => off };
  }
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return { id: tz, offset: (ms) => tzOffsetMs(tz, ms) };
  } catch {
    return { id: 'GMT', offset: () => 0 };
  }
}

const pad = (n: number, width: number) => {
  const s = String(Math.abs(n)).padStart(width, '0');
  return n < 0 ? `-${s}` : s;
};

function offsetText(offMs: number, style: 'Z' | 'X1' | 'X2' | 'X3' | 'GMT'): string {
  const sign = offMs < 0 ? '-' : '+';
  const mins = Math.abs(Math.round(offMs / 60_000));
  const hh = pad(Math.floor(mins / 60), 2);
  const mm = pad(mins % 60, 2);
  if (style === 'Z') return `${sign}${hh}${mm}`;
  if (style === 'GMT') return `GMT${sign}${hh}:${mm}`;
  if (offMs === 0) return 'Z';
  if (style === 'X1') return `${sign}${hh}${mins % 60 ? mm : ''}`;
  return style === 'X2' ? `${sign}${hh}${mm}` : `${sign}${hh}:${mm}`;
}

function zoneName(zone: Zone, ms: number, long: boolean): string {
  if (zone.id === 'GMT' || /^GMT[+-]/.test(zone.id)) {
    return zone.id === 'GMT' ? (long ? 'Greenwich Mean Time' : 'GMT') : offsetText(zone.offset(ms), 'GMT');
  }
  const name = new Intl.DateTimeFormat('en-US', { timeZone: zone.id, timeZoneName: long ? 'long' : 'short' })
    .formatToParts(new Date(ms))
    .find((p) => p.type === 'timeZoneName')?.value;
  if (!long && SHORT_NAMES[zone.id]) return SHORT_NAMES[zone.id]!;
  // Java has a short name where Intl's en-US has only an offset (CET for Europe/Paris): rather
  // than print another text than the platform, refuse loudly.
  if (!name || /^GMT[+-]/.test(name))
    throw new UnknownZoneName(
      `The offline runtime does not know Java's ${long ? 'long' : 'short'} name of ${zone.id} (pattern letter z): use Z or X.`,
    );
  return name;
}

const DAY = 86_400_000;
/** Day number (days since 1970-01-01) of a wall-clock date. */
const dayNumber = (y: number, m: number, d: number) => Date.UTC(y, m, d) / DAY;

/** en_US week fields: week year, week of year (the Sunday-started week holding 1 January is 1). */
function usWeek(y: number, m: number, d: number): { weekYear: number; week: number } {
  const day = dayNumber(y, m, d);
  const dow = new Date(day * DAY).getUTCDay();
  const sunday = day - dow;
  const weekYear = new Date((sunday + 6) * DAY).getUTCFullYear();
  const jan1 = dayNumber(weekYear, 0, 1);
  const firstSunday = jan1 - new Date(jan1 * DAY).getUTCDay();
  return { weekYear, week: Math.floor((sunday - firstSunday) / 7) + 1 };
}

export function formatSimpleDate(ms: number, tz: string, pattern: string): string {
  const zone = zoneOf(tz);
  const off = zone.offset(ms);
  const w = new Date(ms + off);
  const y = w.getUTCFullYear();
  const mo = w.getUTCMonth();
  const d = w.getUTCDate();
  const h = w.getUTCHours();
  const dow = w.getUTCDay();
  let out = '';
  for (let i = 0; i < pattern.length; ) {
    const ch = pattern[i]!;
    if (ch === "'") {
      const end = pattern.indexOf("'", i + 1);
      if (end === i + 1) {
        out += "'";
        i += 2;
        continue;
      }
      if (end < 0) throw new IllegalPattern('Unterminated quote');
      // '' inside quotes is a quote too.
      let j = i + 1;
      let text = '';
      for (;;) {
        const q = pattern.indexOf("'", j);
        if (q < 0) throw new IllegalPattern('Unterminated quote');
        text += pattern.slice(j, q);
        if (pattern[q + 1] === "'") {
          text += "'";
          j = q + 2;
          continue;
        }
        i = q + 1;
        break;
      }
      out += text;
      continue;
    }
    if (!/[A-Za-z]/.test(ch)) {
      out += ch;
      i++;
      continue;
    }
    let n = 1;
    while (pattern[i + n] === ch) n++;
    i += n;
    const text = (full: string) => (n >= 4 ? full : full.slice(0, 3));
    switch (ch) {
      case 'G':
        out += y > 0 ? 'AD' : 'BC';
        break;
      case 'y':
        out += n === 2 ? pad(y % 100, 2) : pad(y, n);
        break;
      case 'Y': {
        const wy = usWeek(y, mo, d).weekYear;
        out += n === 2 ? pad(wy % 100, 2) : pad(wy, n);
        break;
      }
      case 'M':
      case 'L':
        out += n >= 3 ? text(MONTHS[mo]!) : pad(mo + 1, n);
        break;
      case 'w':
        out += pad(usWeek(y, mo, d).week, n);
        break;
      case 'W': {
        const first = new Date(Date.UTC(y, mo, 1)).getUTCDay();
        out += pad(Math.floor((d + first - 1) / 7) + 1, n);
        break;
      }
      case 'D':
        out += pad(dayNumber(y, mo, d) - dayNumber(y, 0, 1) + 1, n);
        break;
      case 'd':
        out += pad(d, n);
        break;
      case 'F':
        out += pad(Math.floor((d - 1) / 7) + 1, n);
        break;
      case 'E':
        out += text(DAYS[dow]!);
        break;
      case 'u':
        out += pad(dow === 0 ? 7 : dow, n);
        break;
      case 'a':
        out += h < 12 ? 'AM' : 'PM';
        break;
      case 'H':
        out += pad(h, n);
        break;
      case 'k':
        out += pad(h === 0 ? 24 : h, n);
        break;
      case 'K':
        out += pad(h % 12, n);
        break;
      case 'h':
        out += pad(h % 12 === 0 ? 12 : h % 12, n);
        break;
      case 'm':
        out += pad(w.getUTCMinutes(), n);
        break;
      case 's':
        out += pad(w.getUTCSeconds(), n);
        break;
      case 'S':
        out += pad(w.getUTCMilliseconds(), n);
        break;
      case 'z':
        out += zoneName(zone, ms, n >= 4);
        break;
      case 'Z':
        out += offsetText(off, 'Z');
        break;
      case 'X':
        if (n > 3) throw new IllegalPattern(`invalid ISO 8601 format: length=${n}`);
        out += offsetText(off, n === 1 ? 'X1' : n === 2 ? 'X2' : 'X3');
        break;
      default:
        throw new IllegalPattern(`Illegal pattern character '${ch}'`);
    }
  }
  return out;
}
