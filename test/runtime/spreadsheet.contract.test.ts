// Contract tests: the emulated SpreadsheetApp behaves as APPS-SCRIPT-SEMANTICS.md says Apps
// Script does (section numbers and evidence tags in each test name).
import { describe, expect, it } from 'vitest';
import { typeInto } from '../../local/runtime/people';
import { OWNER, PT, run, scriptRuntime } from '../helpers';

const SETUP = `
function sheet() { var ss = SpreadsheetApp.getActiveSpreadsheet(); return ss.getSheetByName('T') || ss.insertSheet('T'); }
function write(a1, v) { sheet().getRange(a1).setValue(v); }
function read(a1) { var v = sheet().getRange(a1).getValue(); return v instanceof Date ? 'Date:' + v.toISOString() : v; }
function types(a1) { return sheet().getRange(a1).getValues().map(function (r) { return r.map(function (v) { return v instanceof Date ? 'date' : typeof v; }); }); }
function fmt(a1, f) { sheet().getRange(a1).setNumberFormat(f); }
function tryIt(f) { try { f(); return 'ok'; } catch (e) { return e.name + ': ' + e.message; } }
`;

const rtWith = (code: string) => scriptRuntime(SETUP + code);

describe('Range values (§1.1, §1.2)', () => {
  it('§1.1 D: blanks read as "", numbers as number, text as string, booleans, dates as Date in the sandbox realm', () => {
    const rt = rtWith(
      `function t() { write('A1', 5); write('B1', 'x'); write('C1', true); write('D1', new Date(Date.UTC(2025, 10, 24, 15))); return types('A1:E1'); }`,
    );
    expect(run(rt, 't')).toEqual([['number', 'string', 'boolean', 'date', 'string']]);
    expect(rt.execute('read', { mode: 'script', activeUser: OWNER }, () => ['E1'])).toBe('');
  });

  it('§1.2 D/R: strings are parsed as typed in a ja_JP sheet: numbers, separators, percents, dates, booleans', () => {
    const rt = rtWith(`function t() {
      var inputs = ['00123', '1,000,000', '50%', '2025/11/25', '2025-01-02', 'TRUE', 'true', 'abc', "'00123", '2.5'];
      inputs.forEach(function (s, i) { sheet().getRange(1, i + 1).setValue(s); });
      return sheet().getRange(1, 1, 1, inputs.length).getValues()[0].map(function (v) { return v instanceof Date ? 'date' : v; });
    }`);
    expect(run(rt, 't')).toEqual([123, 1000000, 0.5, 'date', 'date', true, true, 'abc', '00123', 2.5]);
  });

  it("§1.2 R: a plain-text cell ('@') keeps strings verbatim", () => {
    const rt = rtWith(
      `function t() { fmt('A1:C1', '@'); sheet().getRange('A1:C1').setValues([['00123', '2025/11/25', 'TRUE']]); return sheet().getRange('A1:C1').getValues()[0]; }`,
    );
    expect(run(rt, 't')).toEqual(['00123', '2025/11/25', 'TRUE']);
  });

  it('§1.2 D: a string starting with "=" becomes a formula (not evaluated offline: reads #ERROR!)', () => {
    const rt = rtWith(
      `function t() { write('A1', '=1+1'); return [sheet().getRange('A1').getFormula(), read('A1')]; }`,
    );
    expect(run(rt, 't')).toEqual(['=1+1', '#ERROR!']);
  });

  it('§1.2 R: setValues throws on a row or column count mismatch, rows checked first, never growing the sheet', () => {
    const rt = rtWith(`function t() { return [
      tryIt(function () { sheet().getRange('A1:B2').setValues([[1, 2]]); }),
      tryIt(function () { sheet().getRange('A1:B2').setValues([[1, 2], [3]]); }),
      tryIt(function () { sheet().getRange('A1:B1').setValues([[1, 2, 3]]); }),
    ]; }`);
    expect(run(rt, 't')).toEqual([
      'Exception: The number of rows in the data does not match the number of rows in the range. The data has 1 but the range has 2.',
      'Exception: The number of columns in the data does not match the number of columns in the range. The data has 1 but the range has 2.',
      'Exception: The number of columns in the data does not match the number of columns in the range. The data has 3 but the range has 2.',
    ]);
  });

  it('§1.2 R: more than 50,000 characters in a cell is refused', () => {
    const rt = rtWith(
      `function t() { return tryIt(function () { write('A1', new Array(50002).join('x')); }); }`,
    );
    expect(run(rt, 't')).toBe(
      'Exception: Your input contains more than the maximum of 50000 characters in a single cell.',
    );
  });

  it('§11 D: setNumberFormat changes the display, not the value: 0"件" shows 5 as 5件', () => {
    const rt = rtWith(
      `function t() { write('A1', 5); write('B1', 12); fmt('A1', '0"件"'); fmt('B1', '0"日"'); var r = sheet().getRange('A1:B1'); return [r.getValues()[0], r.getDisplayValues()[0]]; }`,
    );
    expect(run(rt, 't')).toEqual([
      [5, 12],
      ['5件', '12日'],
    ]);
  });

  it('§1.2 R/I: multi-cell setValue writes every cell', () => {
    const rt = rtWith(
      `function t() { sheet().getRange('A1:B2').setValue(7); return sheet().getRange('A1:B2').getValues(); }`,
    );
    expect(run(rt, 't')).toEqual([
      [7, 7],
      [7, 7],
    ]);
  });

  it('§1.1 D/I: a written Date is stored in the spreadsheet zone and read back as the same instant', () => {
    const rt = rtWith(
      `function t() { write('A1', new Date('2025-11-25T00:30:00+09:00')); return [read('A1'), sheet().getRange('A1').getDisplayValue()]; }`,
    );
    expect(run(rt, 't')).toEqual(['Date:2025-11-24T15:30:00.000Z', '2025/11/25 0:30:00']);
  });
});

describe('Geometry (§1.3)', () => {
  it('§1.3 R: getRange errors block rather than grow the sheet', () => {
    const rt = rtWith(`function t() { var s = sheet(); return [
      tryIt(function () { s.getRange(0, 1); }),
      tryIt(function () { s.getRange(1, 0); }),
      tryIt(function () { s.getRange(2, 1, 0, 1); }),
      tryIt(function () { s.getRange(1, 1, 1, 0); }),
      tryIt(function () { s.getRange(1000, 1, 2, 1); }),
      tryIt(function () { s.getRange('not a range!'); }),
      s.getMaxRows() + 'x' + s.getMaxColumns(),
    ]; }`);
    expect(run(rt, 't')).toEqual([
      'Exception: The starting row of the range is too small.',
      'Exception: The starting column of the range is too small.',
      'Exception: The number of rows in the range must be at least 1.',
      'Exception: The number of columns in the range must be at least 1.',
      'Exception: The coordinates of the range are outside the dimensions of the sheet.',
      'Exception: Range not found',
      '1000x26',
    ]);
  });

  it('§1.3 D/I: Sheet.getLastRow is content-based (0 when empty); Range.getLastRow is geometry', () => {
    const rt = rtWith(
      `function t() { var s = sheet(); var a = s.getLastRow(); s.getRange('C4').setValue('x'); s.getRange('A9').setNumberFormat('0'); return [a, s.getLastRow(), s.getLastColumn(), s.getRange('B2:D7').getLastRow(), s.getDataRange().getA1Notation()]; }`,
    );
    expect(run(rt, 't')).toEqual([0, 4, 3, 7, 'A1:C4']);
  });
});

describe('Spreadsheet objects (§11)', () => {
  it('§11 D: insertSheet refuses a duplicate name; getSheetByName is null when missing', () => {
    const rt = rtWith(
      `function t() { sheet(); return [tryIt(function () { SpreadsheetApp.getActiveSpreadsheet().insertSheet('T'); }), SpreadsheetApp.getActiveSpreadsheet().getSheetByName('nope')]; }`,
    );
    expect(run(rt, 't')).toEqual([
      'Exception: A sheet with the name "T" already exists. Please enter another name.',
      null,
    ]);
  });

  it('§11 D: data validation allowInvalid defaults to true; getDataValidation is null when unset', () => {
    const rt = rtWith(`function t() { var r = sheet().getRange('A1'); var none = r.getDataValidation();
      r.setDataValidation(SpreadsheetApp.newDataValidation().requireValueInList(['a', 'b']).build());
      var v = r.getDataValidation(); return [none, v.getAllowInvalid(), v.getCriteriaValues()[0]]; }`);
    expect(run(rt, 't')).toEqual([null, true, ['a', 'b']]);
  });

  it('§1.2 R / §11 D: script writes bypass data validation', () => {
    const rt = rtWith(
      `function t() { var r = sheet().getRange('A1'); r.setDataValidation(SpreadsheetApp.newDataValidation().requireValueInList(['a']).setAllowInvalid(false).build()); r.setValue('zzz'); return r.getValue(); }`,
    );
    expect(run(rt, 't')).toBe('zzz');
  });

  it('§11 D: Sheet.protect returns the existing protection; a hard protection blocks other users, warning-only does not', () => {
    const rt = rtWith(`
      function protectIt(warn) { var p = sheet().protect(); p.setWarningOnly(warn); return sheet().protect() === p || sheet().getProtections(SpreadsheetApp.ProtectionType.SHEET).length; }
      function writeIt() { return tryIt(function () { write('A1', 'x'); }); }`);
    expect(run(rt, 'protectIt', { activeUser: OWNER }, [false])).toBe(1);
    expect(run(rt, 'writeIt', { activeUser: PT })).toBe(
      'Exception: You are trying to edit a protected cell or object. Please contact the spreadsheet owner to remove protection if you need to edit.',
    );
    expect(run(rt, 'writeIt', { activeUser: OWNER })).toBe('ok');
    run(rt, 'protectIt', { activeUser: OWNER }, [true]);
    expect(run(rt, 'writeIt', { activeUser: PT })).toBe('ok');
  });

  it('§11 D: notes read "" when none; setNote(null) removes', () => {
    const rt = rtWith(
      `function t() { var r = sheet().getRange('A1'); var a = r.getNote(); r.setNote('理由'); var b = r.getNote(); r.setNote(null); return [a, b, r.getNote()]; }`,
    );
    expect(run(rt, 't')).toEqual(['', '理由', '']);
  });

  it('§11 D: getRangeList applies to each range; charts are inserted only by insertChart', () => {
    const rt = rtWith(`function t() { var s = sheet(); s.getRangeList(['A1', 'B2:C2']).setFontWeight('bold');
      var c = s.newChart().setChartType(Charts.ChartType.BAR).addRange(s.getRange('A1:C3')).setPosition(1, 5, 0, 0).build();
      var before = s.getCharts().length; s.insertChart(c); return [before, s.getCharts().length]; }`);
    expect(run(rt, 't')).toEqual([0, 1]);
    expect(rt.workbook.sheet('T')!.charts[0]!.ranges).toEqual(['T!A1:C3']);
  });
});

describe('UI (§8.1, §11)', () => {
  it('§8.1 R: getUi is refused in time triggers and web apps; toast does nothing there', () => {
    const rt = rtWith(
      `function t() { SpreadsheetApp.getActiveSpreadsheet().toast('hi'); return tryIt(function () { SpreadsheetApp.getUi(); }); }`,
    );
    expect(run(rt, 't', { mode: 'time' })).toBe(
      'Exception: Cannot call SpreadsheetApp.getUi() from this context.',
    );
    expect(rt.ui).toEqual([]);
    expect(run(rt, 't', { mode: 'web' })).toBe(
      'Exception: Cannot call SpreadsheetApp.getUi() from this context.',
    );
    expect(run(rt, 't', { mode: 'menu' })).toBe('ok');
    expect(rt.ui.map((u) => u.kind)).toEqual(['toast']);
  });

  it('§8.1 D: simple triggers cannot open sidebars', () => {
    const rt = rtWith(
      `function t() { return tryIt(function () { SpreadsheetApp.getUi().showSidebar(HtmlService.createHtmlOutput('x')); }); }`,
    );
    expect(run(rt, 't', { mode: 'simple' })).toMatch(
      /^Exception: You do not have permission to call Ui.showSidebar/,
    );
  });
});

describe('onEdit events (§2.1)', () => {
  it('§2.1 D/R: value and oldValue are strings, single-cell only; oldValue absent for an empty cell; rowStart/columnStart present', () => {
    const rt = rtWith(`
      function install() { ScriptApp.newTrigger('handle').forSpreadsheet(SpreadsheetApp.getActive()).onEdit().create(); sheet(); }
      function handle(e) { var log = PropertiesService.getScriptProperties(); var n = Number(log.getProperty('n') || 0) + 1; log.setProperty('n', String(n));
        log.setProperty('e' + n, JSON.stringify({ value: e.value === undefined ? 'ABSENT' : e.value, old: e.oldValue === undefined ? 'ABSENT' : e.oldValue, type: typeof e.value, row: e.range.rowStart, col: e.range.columnStart, rows: e.range.getNumRows(), user: e.user.getEmail(), auth: String(e.authMode) })); }`);
    run(rt, 'install', { mode: 'menu' });
    typeInto(rt, 'T!B3', [['42']], { user: PT });
    typeInto(rt, 'T!B3', [['TRUE']], { user: PT, showUser: false });
    typeInto(
      rt,
      'T!A1',
      [
        ['x', 'y'],
        ['z', 'w'],
      ],
      { user: PT },
    );
    const p = rt.state.properties.script;
    expect(JSON.parse(p.e1!)).toEqual({
      value: '42',
      old: 'ABSENT',
      type: 'string',
      row: 3,
      col: 2,
      rows: 1,
      user: PT,
      auth: 'FULL',
    });
    expect(JSON.parse(p.e2!)).toEqual({
      value: 'TRUE',
      old: '42',
      type: 'string',
      row: 3,
      col: 2,
      rows: 1,
      user: '',
      auth: 'FULL',
    });
    expect(JSON.parse(p.e3!)).toMatchObject({ value: 'ABSENT', old: 'ABSENT', rows: 2 });
  });

  it('§1.2 D: writes by scripts never fire onEdit', () => {
    const rt = rtWith(`
      function install() { ScriptApp.newTrigger('handle').forSpreadsheet(SpreadsheetApp.getActive()).onEdit().create(); }
      function handle() { PropertiesService.getScriptProperties().setProperty('fired', 'yes'); }
      function scriptWrite() { write('A1', 1); }`);
    run(rt, 'install', { mode: 'menu' });
    run(rt, 'scriptWrite');
    expect(rt.state.properties.script.fired).toBeUndefined();
  });
});
