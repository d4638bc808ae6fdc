// Date and length bounds in the domain: 和暦 that names no day, fields bounded by 令和元年5月1日,
// the 協議希望日 a department may propose, and what a text takes in its cell.
import { describe, expect, it } from 'vitest';
import { MAX_CELL_CHARS, needsTextMarker, storedLength } from '../../src/domain/cell-text';
import { addYears, dateBoundsProblem, parseDateInput, REIWA_START, warekiDate } from '../../src/domain/dates';
import {
  consultationSchema,
  createProposalSchema,
  fieldErrors,
  proposedDateInput,
  summaryRequestSchema,
} from '../../src/domain/schemas';

describe('和暦 that names no day is refused, never shifted', () => {
  it.each([
    'R0.1.1',
    '令和0年5月1日',
    'R1.4.30',
    '令和元年4月30日',
    'H0.1.1',
    'H1.1.7',
    'H31.5.1',
    'H32.1.1',
  ])('%s is null', (input) => expect(parseDateInput(input)).toBeNull());
  it.each([
    ['R1.5.1', '2019-05-01'],
    ['令和元年5月1日', '2019-05-01'],
    ['H1.1.8', '1989-01-08'],
    ['H31.4.30', '2019-04-30'],
    ['0100-01-01', '0100-01-01'],
  ])('%s → %s', (input, iso) => expect(parseDateInput(input)).toBe(iso));
  it('a day before 令和 is written in the Western calendar, never as 令和0年 or less', () => {
    expect(warekiDate('2019-04-30')).toBe('2019年4月30日');
    expect(warekiDate('0100-01-01')).toBe('100年1月1日');
    expect(warekiDate(REIWA_START)).toBe('令和元年5月1日');
  });
  it('addYears keeps the day, 29 February becomes 28 February', () => {
    expect(addYears('2025-11-25', 1)).toBe('2026-11-25');
    expect(addYears('2028-02-29', 1)).toBe('2029-02-28');
  });
  it('dateBoundsProblem names the field and the bound, inclusive at both ends', () => {
    const b = { min: '2025-04-01', minLabel: '令和7年度の初日', max: '2025-11-25', maxLabel: '今日' };
    expect(dateBoundsProblem('効力日', '2025-04-01', b)).toBeNull();
    expect(dateBoundsProblem('効力日', '2025-11-25', b)).toBeNull();
    expect(dateBoundsProblem('効力日', '2025-03-31', b)).toBe(
      '効力日は令和7年度の初日(令和7年4月1日)以降の日付にしてください(入力: 令和7年3月31日)。',
    );
    expect(dateBoundsProblem('効力日', '2025-11-26', b)).toMatch(
      /^効力日は今日\(令和7年11月25日\)までの日付/,
    );
  });
});

describe('schemas refuse dates before 令和元年5月1日, naming the field', () => {
  const consultation = { id: 'R7-U01', version: 'v', department: '保護課', summary: 's' };
  it.each(['R0.1.1', '0100-01-01', '2019-04-30', 'H31.4.30'])('協議日 %s', (date) => {
    const r = consultationSchema.safeParse({ ...consultation, date });
    expect(r.success).toBe(false);
    if (!r.success) expect(fieldErrors(r.error).date).toMatch(/^協議日/);
  });
  it('時点 too, and 令和元年5月1日 itself is accepted', () => {
    const r = summaryRequestSchema.safeParse({ asOf: 'R0.12.1' });
    expect(r.success).toBe(false);
    if (!r.success) expect(fieldErrors(r.error).asOf).toMatch(/^時点/);
    expect(summaryRequestSchema.parse({ asOf: '令和元年5月1日' }).asOf).toBe('2019-05-01');
  });
  it('協議希望日: from today up to a year ahead, or none', () => {
    const s = proposedDateInput('2025-11-25');
    expect(s.parse('')).toBe('');
    expect(s.parse(undefined)).toBe('');
    expect(s.parse('2025-11-25')).toBe('2025-11-25');
    expect(s.parse('R8.11.25')).toBe('2026-11-25');
    for (const [input, bound] of [
      ['2025-11-24', /今日/],
      ['2026-11-26', /1年後/],
      ['R0.1.1', /R7.11.25/],
    ] as const) {
      const r = s.safeParse(input);
      expect(r.success).toBe(false);
      if (!r.success) {
        expect(r.error.issues[0]!.message).toMatch(/^協議希望日/);
        expect(r.error.issues[0]!.message).toMatch(bound);
      }
    }
  });
});

describe('text is counted as it will be stored', () => {
  it('the apostrophe asText adds counts', () => {
    expect(MAX_CELL_CHARS).toBe(50_000);
    for (const s of ['=1+1', '0012', '2025/1/1', 'TRUE', ' false ', '-x', "'a", '10%'])
      expect(storedLength(s), s).toBe(s.length + 1);
    for (const s of ['1E5', '12月1日', 'あ', '', 'R7-U01']) expect(needsTextMarker(s), s).toBe(false);
  });
  const base = {
    kind: 'ユーザーの困りごと',
    painPoint: 'p',
    category: '行政手続きの場面等',
    title: 't',
  };
  it('a field over the limit as stored is refused naming it; exactly the limit passes', () => {
    expect(createProposalSchema.safeParse({ ...base, solution: 'あ'.repeat(50_000) }).success).toBe(true);
    for (const [field, value] of [
      ['solution', 'あ'.repeat(50_001)],
      ['painPoint', `=${'あ'.repeat(49_999)}`],
      ['notes', '1'.repeat(50_000)],
    ] as const) {
      const r = createProposalSchema.safeParse({ ...base, [field]: value });
      expect(r.success, field).toBe(false);
      if (!r.success) expect(fieldErrors(r.error)[field]).toMatch(/50,000文字以内で入力してください/);
    }
    // Counted after trimming: the spaces around are not stored.
    expect(createProposalSchema.safeParse({ ...base, solution: ` ${'あ'.repeat(50_000)} ` }).success).toBe(
      true,
    );
  });
});
