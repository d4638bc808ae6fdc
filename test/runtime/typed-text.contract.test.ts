// Typed text in a ja_JP sheet (issue #16 item 3): what setValue(s) and a person's typing make of a
// string, form by form, each pinned to the source listed in TYPED_FORMS (local/runtime/values.ts);
// forms without a source (UNKNOWN_FORMS) stay text.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { typeInto } from '../../local/runtime/people';
import { loadWorkbook, saveWorkbook } from '../../local/runtime/persist';
import { displayValue, parseUserEntered, TYPED_FORMS, UNKNOWN_FORMS } from '../../local/runtime/values';
import { PT, run, scriptRuntime } from '../helpers';

const CODE = `
function sheet() { var ss = SpreadsheetApp.getActiveSpreadsheet(); return ss.getSheetByName('T') || ss.insertSheet('T'); }
function put(inputs, fmt) {
  var r = sheet().getRange(1, 1, 1, inputs.length);
  if (fmt) r.setNumberFormat(fmt);
  r.setValues([inputs]);
  var f = r.getFormulas()[0];
  return r.getValues()[0].map(function (v, i) {
    return f[i] ? 'formula ' + f[i] : v instanceof Date ? 'date ' + Utilities.formatDate(v, 'Asia/Tokyo', 'yyyy-MM-dd HH:mm:ss') : typeof v + ' ' + v;
  });
}`;

/** What setValues makes of each input: 'number 5', 'date 2025-…', 'formula =…', 'string …'. */
function written(inputs: string[], fmt?: string) {
  return run<string[]>(scriptRuntime(CODE), 'put', {}, [inputs, fmt]);
}

describe('typed text in a ja_JP sheet (§1.2, TYPED_FORMS)', () => {
  it('D/R: numbers with signs, decimals, leading zeros and thousands separators', () => {
    expect(written(['00123', '-2.5', '.5', '1,000,000', '+7', '2.000'])).toEqual([
      'number 123',
      'number -2.5',
      'number 0.5',
      'number 1000000',
      'number 7',
      'number 2',
    ]);
  });

  it('R (Kirk3gaard/2025-Crowdsource-GPU-basecalling-stats#1): exponents make numbers shown as 0.00E+00', () => {
    const rt = scriptRuntime(CODE);
    expect(run(rt, 'put', {}, [['1E5', '2.5e-3', '-1e+2', '4.397801e+06']])).toEqual([
      'number 100000',
      'number 0.0025',
      'number -100',
      'number 4397801',
    ]);
    const row = rt.workbook.sheet('T')!.cells[0]!;
    expect(row.map((c) => displayValue(c))).toEqual(['1.00E+05', '2.50E-03', '-1.00E+02', '4.40E+06']);
  });

  it('R (sheetquery#20): digits separated by single spaces become one number', () => {
    expect(written(['22 34'])).toEqual(['number 2234']);
  });

  it('D/R: percents become fractions with a percent format', () => {
    const rt = scriptRuntime(CODE);
    expect(run(rt, 'put', {}, [['10%', '12.5%', '-3%']])).toEqual([
      'number 0.1',
      'number 0.125',
      'number -0.03',
    ]);
    expect(rt.workbook.sheet('T')!.cells[0]!.map((c) => displayValue(c))).toEqual(['10%', '12.50%', '-3%']);
  });

  it('R/I: a yen amount becomes a number with a yen format; other currencies stay text (unknown)', () => {
    const rt = scriptRuntime(CODE);
    expect(run(rt, 'put', {}, [['¥1,000', '¥5', '$5', '€5']])).toEqual([
      'number 1000',
      'number 5',
      'string $5',
      'string €5',
    ]);
    expect(displayValue(rt.workbook.sheet('T')!.cell(0, 0))).toBe('¥1,000');
  });

  it('D/R/I: dates y/m/d and y-m-d (with a time), m/d of this year, and times', () => {
    expect(
      written(['2025/1/1', '2025-01-02', '2025/1/1 9:30', '11/25', '9:30', '2025/2/30', '25:00']),
    ).toEqual([
      'date 2025-01-01 00:00:00',
      'date 2025-01-02 00:00:00',
      'date 2025-01-01 09:30:00',
      'date 2025-11-25 00:00:00',
      'date 1899-12-30 09:30:00',
      'string 2025/2/30',
      'string 25:00',
    ]);
  });

  it('D/R: booleans in any case; = makes a formula', () => {
    expect(written(['TRUE', 'false', 'True', '=1+1'])).toEqual([
      'boolean true',
      'boolean false',
      'boolean true',
      'formula =1+1',
    ]);
  });

  it('R (pygsheets#373, localio#1): text led by + or - that is no number makes a formula', () => {
    expect(written(['+1+2', '-A1', '+81 3-1234-5678', '-5', '-'])).toEqual([
      'formula =+1+2',
      'formula =-A1',
      'formula =+81 3-1234-5678',
      'number -5',
      'string -',
    ]);
  });

  it('forms without a source stay text, each listed in UNKNOWN_FORMS', () => {
    const inputs = [
      '12月1日',
      '2025年12月1日',
      'R7.11.25',
      '令和7年11月25日',
      '$5',
      '１２３',
      '(1,000)',
      '@A1',
      '---',
      '2025/11',
      '11/25/2025',
    ];
    expect(written(inputs)).toEqual(inputs.map((s) => `string ${s}`));
    const listed = UNKNOWN_FORMS.flatMap((u) => u.example.split(', '));
    for (const s of inputs) expect(listed).toContain(s);
  });

  it("R: a plain-text cell ('@') keeps exactly what was typed; a leading apostrophe forces text elsewhere", () => {
    const inputs = ['1E5', '12月1日', '0012', 'TRUE', '10%', '2025/1/1', '+1+2', '=1+1', "'x"];
    expect(written(inputs, '@')).toEqual(inputs.map((s) => `string ${s}`));
    expect(written(["'1E5", "'0012", "'=1+1", "'+1+2"])).toEqual([
      'string 1E5',
      'string 0012',
      'string =1+1',
      'string +1+2',
    ]);
  });

  it('a person typing goes through the same parse (and @ cells keep it)', () => {
    const rt = scriptRuntime(
      `${CODE} function textCol() { sheet().getRange('B1:B3').setNumberFormat('@'); }`,
    );
    run(rt, 'textCol', { mode: 'menu' });
    typeInto(rt, 'T!A1', [['1E5'], ['+1+2'], ['10%']], { user: PT });
    typeInto(rt, 'T!B1', [['1E5'], ['+1+2'], ['10%']], { user: PT });
    const s = rt.workbook.sheet('T')!;
    expect([0, 1, 2].map((r) => s.cell(r, 0)!.f ?? s.cell(r, 0)!.v)).toEqual([100000, '=+1+2', 0.1]);
    expect([0, 1, 2].map((r) => s.cell(r, 1)!.v)).toEqual(['1E5', '+1+2', '10%']);
  });

  it('every form in the table names its source', () => {
    for (const f of TYPED_FORMS) expect(f.source).toMatch(/^(D|R|I|D\/R)[:/]/);
  });
});

describe("plain text ('@') set by setNumberFormat(s) survives the .xlsx", () => {
  it('a column formatted @ before anything is typed keeps typed text after a save and a load', async () => {
    const rt = scriptRuntime(`${CODE}
      function textCols() { sheet().getRange('A1:B2').setNumberFormats([['@', '@'], ['@', 'General']]); }
      function bad() { try { sheet().getRange('A1:B2').setNumberFormats([['@']]); } catch (e) { return e.message; } }`);
    run(rt, 'textCols', { mode: 'menu' });
    expect(run(rt, 'bad')).toBe(
      'The number of rows in the data does not match the number of rows in the range. The data has 1 but the range has 2.',
    );
    const file = join(mkdtempSync(join(tmpdir(), 'fmt-')), 'r.xlsx');
    await saveWorkbook(file, rt.workbook, rt.state);
    const { workbook, state } = await loadWorkbook(file);
    const again = scriptRuntime(CODE, { workbook, state });
    typeInto(
      again,
      'T!A1',
      [
        ['1E5', '0012'],
        ['12月1日', '10%'],
      ],
      { user: PT },
    );
    const s = again.workbook.sheet('T')!;
    expect([s.cell(0, 0)!.v, s.cell(0, 1)!.v, s.cell(1, 0)!.v, s.cell(1, 1)!.v]).toEqual([
      '1E5',
      '0012',
      '12月1日',
      0.1,
    ]);
  });
});

describe('the parse on any text (property)', () => {
  it("never throws; '@' keeps the text; an apostrophe gives the rest as text; a number stays a finite number", () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.stringMatching(/^[-+ ¥$.,%:/0-9eE]{0,12}$/)), (s) => {
        expect(parseUserEntered(s, '@', 2025)).toEqual({ v: s });
        expect(parseUserEntered(`'${s}`, undefined, 2025)).toEqual({ v: s });
        const p = parseUserEntered(s, undefined, 2025);
        if (typeof p.v === 'number') expect(Number.isFinite(p.v)).toBe(true);
        if (p.f) expect(p.f.startsWith('=')).toBe(true);
      }),
      { seed: 16, numRuns: 2000 },
    );
  });
});
