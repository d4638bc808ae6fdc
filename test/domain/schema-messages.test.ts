// The messages each schema gives, field by field, pinned word for word: the forms show them beside
// the field, so a change of zod build (classic → zod/mini, issue #19) must leave every one as it was.
// Messages the schemas do not name themselves fall back to zod's English locale (set in schemas.ts).
import { describe, expect, it } from 'vitest';
import type { ZodMiniType } from 'zod/mini';
import type { IsoDate } from '../../src/domain/dates';
import {
  cellText,
  createProposalSchema,
  fieldErrors,
  judgmentSchema,
  proposedDateInput,
  searchSchema,
  setStageSchema,
  startFiscalYearSchema,
  summaryRequestSchema,
  updateProposalSchema,
} from '../../src/domain/schemas';

function errorsOf(schema: ZodMiniType, payload: unknown): Record<string, string> {
  const r = schema.safeParse(payload);
  if (r.success) throw new Error(`expected a refusal, got ${JSON.stringify(r.data)}`);
  return fieldErrors(r.error);
}

const proposal = { kind: 'ユーザーの困りごと', painPoint: '困りごと', category: '窓口', title: '題' };
const ref = { id: 'R7-U01', version: '1' };
const KIND = '種別は「ユーザーの困りごと」か「職員の困りごと」から選んでください。';
const DATE_FORMS = '2025-11-25、2025/11/25、R7.11.25、令和7年11月25日 のように入力してください。';

describe('createProposalSchema', () => {
  it('names each missing or unknown field', () => {
    expect(errorsOf(createProposalSchema, {})).toEqual({
      kind: KIND,
      painPoint: '困りごとを入力してください。',
      category: '場面・分類を入力してください。',
      title: '課題(提案)名を入力してください。',
    });
    expect(errorsOf(createProposalSchema, { ...proposal, kind: 'x' })).toEqual({ kind: KIND });
  });

  it('gives each length, format and type message of its fields', () => {
    const cases: [Record<string, unknown>, Record<string, string>][] = [
      [{ painPoint: '   ' }, { painPoint: '困りごとを入力してください。' }],
      [{ title: 'あ'.repeat(501) }, { title: '課題(提案)名は500文字以内で入力してください。' }],
      [{ perspective: 'あ'.repeat(101) }, { perspective: '目線は100文字以内で入力してください。' }],
      [{ solution: 'あ'.repeat(50_001) }, { solution: '解決策は50,000文字以内で入力してください。' }],
      [
        { solution: `=${'あ'.repeat(49_999)}` },
        {
          solution:
            '解決策は50,000文字以内で入力してください(記号や数字で始まる文章は、文字列として保存する印の1文字を含めて数えます。入力: 50,001文字)。',
        },
      ],
      [{ ptContact: 'not an address' }, { ptContact: 'PT連絡先はメールアドレスの形式で入力してください。' }],
      [{ ptContact: `${'a'.repeat(250)}@b.jp` }, { ptContact: 'PT連絡先は254文字以内で入力してください。' }],
      [{ ptContact: 5 }, { ptContact: 'PT連絡先を入力してください。' }],
      [{ departments: ['', '財政課'] }, { departments: '所管課を入力してください。' }],
      [{ departments: ['あ'.repeat(201)] }, { departments: '所管課は200文字以内で入力してください。' }],
      [{ notes: null }, { notes: '備考を入力してください。' }],
    ];
    for (const [change, expected] of cases)
      expect(errorsOf(createProposalSchema, { ...proposal, ...change }), JSON.stringify(change)).toEqual(
        expected,
      );
  });

  it('trims and fills in the defaults', () => {
    expect(createProposalSchema.parse({ ...proposal, title: ' 題 ', ptContact: ' a@b.jp ' })).toEqual({
      ...proposal,
      perspective: '',
      solution: '',
      ptMembers: '',
      ptContact: 'a@b.jp',
      notes: '',
      departments: [],
    });
  });
});

describe('the other sidebar schemas', () => {
  it('updateProposalSchema: the ID, the 版 and the fields by their own names', () => {
    expect(errorsOf(updateProposalSchema, { ...ref, id: 'x', version: '' })).toEqual({
      id: 'IDは R7-U01 のような形式です。',
      version: '版を指定してください。',
      fields: 'fieldsを入力してください。',
    });
    expect(
      errorsOf(updateProposalSchema, {
        ...ref,
        // 実施状況's list is 設定's, checked by the operation (domain/choices); here only its length.
        fields: { painPoint: '', title: 'あ'.repeat(501), ptContact: 'x', implementation: 'あ'.repeat(101) },
      }),
    ).toEqual({
      painPoint: '困りごとを入力してください。',
      title: '課題(提案)名は500文字以内で入力してください。',
      ptContact: 'PT連絡先はメールアドレスの形式で入力してください。',
      implementation: '実施状況は100文字以内で入力してください。',
    });
  });

  it('setStageSchema: 段階, 効力日 and 理由', () => {
    const stage = { ...ref, department: '財政課', stage: '①' };
    expect(errorsOf(setStageSchema, { ...stage, stage: 'x' })).toEqual({
      stage: '段階は 未提示・①・②・④・所管外 から選んでください。',
    });
    expect(errorsOf(setStageSchema, { ...stage, effectiveDate: 'きのう' })).toEqual({
      effectiveDate: `効力日は ${DATE_FORMS}`,
    });
    expect(errorsOf(setStageSchema, { ...stage, effectiveDate: '2019-04-30' })).toEqual({
      effectiveDate: '効力日は令和元年5月1日以降の日付にしてください(入力: 2019年4月30日)。',
    });
    expect(errorsOf(setStageSchema, { ...stage, reason: 'あ'.repeat(2001) })).toEqual({
      reason: '理由は2,000文字以内で入力してください。',
    });
    expect(setStageSchema.parse({ ...stage, effectiveDate: ' R7.11.25 ' }).effectiveDate).toBe('2025-11-25');
    expect(setStageSchema.parse({ ...stage, effectiveDate: '' }).effectiveDate).toBeUndefined();
  });

  it('judgmentSchema and searchSchema: a choice outside the list gets zod’s own message', () => {
    // 終了理由's list is 設定's, checked by the operation (domain/choices), not here.
    expect(errorsOf(judgmentSchema, { ...ref, judgment: 'x', endReason: 'y' })).toEqual({
      judgment: 'Invalid input',
    });
    expect(errorsOf(searchSchema, { query: 5, kind: 'x', department: 'あ'.repeat(201) })).toEqual({
      query: '検索語を入力してください。',
      kind: 'Invalid input',
      department: '所管課は200文字以内で入力してください。',
    });
  });

  it('summaryRequestSchema: an out-of-range 年度 in zod’s English, a bad 時点 in Japanese', () => {
    expect(errorsOf(summaryRequestSchema, { fiscalYear: 2018 })).toEqual({
      fiscalYear: 'Too small: expected number to be >=2019',
    });
    expect(errorsOf(summaryRequestSchema, { fiscalYear: 2101 })).toEqual({
      fiscalYear: 'Too big: expected number to be <=2100',
    });
    expect(errorsOf(summaryRequestSchema, { asOf: 'x', fiscalYear: 1.5, write: 'x' })).toEqual({
      asOf: `時点は ${DATE_FORMS}`,
      fiscalYear: '年度を入力してください。',
      write: 'writeを入力してください。',
    });
  });

  it('startFiscalYearSchema: its own bounds messages', () => {
    expect(errorsOf(startFiscalYearSchema, { fiscalYear: 2000 })).toEqual({
      fiscalYear: '年度(fiscalYear)は2019以降を指定してください。',
    });
    expect(errorsOf(startFiscalYearSchema, { fiscalYear: 3000 })).toEqual({
      fiscalYear: '年度(fiscalYear)は2100までを指定してください。',
    });
    expect(startFiscalYearSchema.parse({ fiscalYear: 2026 })).toEqual({ fiscalYear: 2026 });
  });
});

describe('the answer page’s fields', () => {
  const today = '2026-12-01' as IsoDate;
  it('協議希望日: from today to a year ahead, blank allowed', () => {
    const schema = proposedDateInput(today);
    expect(errorsOf(schema, '2026-11-30')).toEqual({
      _: '協議希望日は今日(令和8年12月1日)以降の日付にしてください(入力: 令和8年11月30日)。',
    });
    expect(errorsOf(schema, '2027-12-02')).toEqual({
      _: '協議希望日は1年後(令和9年12月1日)までの日付にしてください(入力: 令和9年12月2日)。',
    });
    expect(errorsOf(schema, 'x')).toEqual({ _: `協議希望日は ${DATE_FORMS}` });
    expect(schema.parse(undefined)).toBe('');
    expect(schema.parse(' 2026-12-05 ')).toBe('2026-12-05');
  });

  it('cellText: trimmed, capped with the field’s own limit', () => {
    expect(cellText('comment', 10).parse(' abc ')).toBe('abc');
    expect(errorsOf(cellText('comment', 10), 'あ'.repeat(11))).toEqual({
      _: 'commentは10文字以内で入力してください。',
    });
  });
});
