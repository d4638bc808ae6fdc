// The holiday table travels packed in Code.js (build/holidays.mjs): unpacked, it is every date
// @holiday-jp/holiday_jp lists for the years a register can need, no more, no fewer.
import holidayJp from '@holiday-jp/holiday_jp';
import { describe, expect, it } from 'vitest';
import { FIRST_YEAR, holidayDates, LAST_YEAR, packHolidays } from '../../build/holidays.mjs';
import { unpackHolidays } from '../../src/domain/holidays';

describe('the packed holiday table', () => {
  it('unpacks to the library’s dates of 2015–2050', () => {
    const expected = Object.keys(holidayJp.holidays)
      .filter((d) => Number(d.slice(0, 4)) >= FIRST_YEAR && Number(d.slice(0, 4)) <= LAST_YEAR)
      .sort();
    expect(expected.length).toBeGreaterThan(500);
    expect(unpackHolidays(packHolidays(holidayDates()))).toEqual(expected);
  });

  it('keeps a lone date, and an empty table is empty', () => {
    expect(unpackHolidays(packHolidays(['2025-11-03']))).toEqual(['2025-11-03']);
    expect(unpackHolidays('')).toEqual([]);
  });

  it('refuses a gap it cannot write in two digits', () => {
    expect(() => packHolidays(['2020-01-01', '2025-01-01'])).toThrow(/cannot pack/);
  });
});
