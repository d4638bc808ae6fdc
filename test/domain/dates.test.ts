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
import { dueDateOf, requestDeadlines } from '../../src/domain/deadlines';
import { nextId } from '../../src/domain/ids';
import type { MailRow } from '../../src/domain/mail';

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

describe('回答期限 (domain/deadlines)', () => {
  const cal = new WorkingCalendar(Object.keys(holidayJp.holidays));
  it('counts working days after sending, across Golden Week and the year-end closure', () => {
    // 2026-04-28 (Tue): 4/29 昭和の日, 5/2–5/6 weekend and holidays (5/6 振替休日).
    expect(dueDateOf(cal, '2026-04-28', 5)).toBe('2026-05-11');
    expect(dueDateOf(cal, '2025-12-26', 1)).toBe('2026-01-05');
    expect(dueDateOf(cal, '', 10)).toBe('');
  });
  it('overdue only while open, from the day after 回答期限, in working days', () => {
    const row = (over: Partial<MailRow> = {}): MailRow => ({
      seq: 1,
      key: 'R7-U01|広報室|依頼|1',
      id: 'R7-U01',
      department: '広報室',
      mailKind: '依頼',
      round: 1,
      recipients: '',
      state: '送信済',
      attempts: 1,
      createdAt: '2025-12-22 10:00:00',
      sentAt: '2025-12-22 10:00:01',
      error: '',
      ...over,
    });
    const state = (answerKind = '', judgment = '', stage = '①') => ({
      proposals: [{ id: 'R7-U01', judgment }],
      progress: [{ id: 'R7-U01', department: '広報室', stage, answerKind }],
      settings: { answerDays: 10 },
    });
    const at = (today: string, s = state(), log = [row()]) =>
      [...requestDeadlines(s, log, cal, today).values()][0]!;
    expect(at('2026-01-13')).toMatchObject({
      dueDate: '2026-01-13',
      open: true,
      overdue: false,
      overdueDays: 0,
    });
    expect(at('2026-01-14')).toMatchObject({ overdue: true, overdueDays: 1 });
    // A weekend after 回答期限 is overdue by no working day yet; 1/19 is the 4th.
    expect(at('2026-01-19')).toMatchObject({ overdue: true, overdueDays: 4 });
    expect(at('2026-01-19', state('協議に応じる'))).toMatchObject({ open: false, overdue: false });
    expect(at('2026-01-19', state('', '検討継続'))).toMatchObject({ overdue: false });
    expect(at('2026-01-19', state('', '', '②'))).toMatchObject({ overdue: false });
    expect(at('2026-01-19', state(), [row({ state: '待機', sentAt: '' })])).toMatchObject({
      sentOn: '',
      dueDate: '',
      overdue: false,
    });
  });
});
