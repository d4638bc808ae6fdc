import holidayJp from '@holiday-jp/holiday_jp';
import { describe, expect, it } from 'vitest';
import {
  asOfLabel,
  fiscalYearLabel,
  fiscalYearOf,
  parseDateInput,
  parseFiscalYear,
  WorkingCalendar,
  warekiDate,
} from '../../src/domain/dates';
import { nextId } from '../../src/domain/ids';

describe('dates as people write them', () => {
  it.each([
    ['2025-11-25', '2025-11-25'],
    ['2025/11/25', '2025-11-25'],
    ['2025/1/5', '2025-01-05'],
    ['R7.11.25', '2025-11-25'],
    ['r7.1.5', '2025-01-05'],
    ['令和7年11月25日', '2025-11-25'],
    ['令和元年5月1日', '2019-05-01'],
    ['２０２５／１１／２５', '2025-11-25'],
    ['H31.4.30', '2019-04-30'],
  ])('%s → %s', (input, iso) => expect(parseDateInput(input)).toBe(iso));

  it.each(['2025/02/30', '11/25', '2025.11.25', '令和7年13月1日', 'R7/11/25', '', 'あした'])(
    '%s is refused, never guessed',
    (input) => {
      expect(parseDateInput(input)).toBeNull();
    },
  );

  it('fiscal years run April to March and read as 令和', () => {
    expect(fiscalYearOf('2025-04-01')).toBe(2025);
    expect(fiscalYearOf('2026-03-31')).toBe(2025);
    expect(fiscalYearLabel(2025)).toBe('令和7年度');
    expect(fiscalYearLabel(2019)).toBe('令和元年度');
    expect(['令和7年度', 'R7', '2025', '2025年度', '令和7'].map(parseFiscalYear)).toEqual([
      2025, 2025, 2025, 2025, 2025,
    ]);
    expect(parseFiscalYear('来年')).toBeNull();
    expect(asOfLabel('2025-11-25')).toBe('11月25日時点');
    expect(warekiDate('2025-11-25')).toBe('令和7年11月25日');
  });
});

describe('working days (weekends, national holidays, 12/29–1/3)', () => {
  const cal = new WorkingCalendar(Object.keys(holidayJp.holidays));
  it('skips a national holiday and the weekend', () => {
    // 2025-11-21 (Fri) + 1 → 11-24 is 勤労感謝の日の振替休日 (Mon) → 11-25 (Tue)
    expect(cal.isWorkingDay('2025-11-24')).toBe(false);
    expect(cal.addWorkingDays('2025-11-21', 1)).toBe('2025-11-25');
  });
  it('skips the year-end closure and 元日', () => {
    expect(cal.addWorkingDays('2025-12-26', 1)).toBe('2026-01-05');
    expect(cal.workingDaysBetween('2025-12-26', '2026-01-05')).toBe(1);
  });
});

describe('IDs', () => {
  it('follow every ID ever issued and are never reused', () => {
    expect(nextId('R7-U', ['R7-U01', 'R7-U03', 'R7-S09'], 0)).toEqual({ id: 'R7-U04', number: 4 });
    expect(nextId('R7-U', ['R7-U01'], 7)).toEqual({ id: 'R7-U08', number: 8 });
    expect(nextId('R7-S', [], 0).id).toBe('R7-S01');
    expect(nextId('R7-S', [], 99).id).toBe('R7-S100');
  });
});
