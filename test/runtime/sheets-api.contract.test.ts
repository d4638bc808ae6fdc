// Contract tests: the Sheets advanced service's Values.batchGet as the emulator gives it
// (local/runtime/sheets-api.ts, after the API reference of spreadsheets.values.batchGet, ValueRange,
// ValueRenderOption and DateTimeRenderOption): one round trip for many ranges, values trimmed at
// their end, dates as serial numbers, the sheet as saved (never SpreadsheetApp's batched writes),
// and the global only where the manifest enables the service.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { COST } from '../../local/runtime/costs';
import { run, scriptRuntime } from '../helpers';

const SETUP = `
function sheet(name) { var ss = SpreadsheetApp.getActiveSpreadsheet(); return ss.getSheetByName(name) || ss.insertSheet(name); }
function tryIt(f) { try { return f(); } catch (e) { return e.name + ': ' + e.message; } }
function fill() {
  var a = sheet('課題一覧'), b = sheet("It's");
  a.getRange(1, 1, 3, 4).setValues([['ID', '名前', '日付', '数'], ['R7-U01', '', new Date(2025, 9, 1), 3], ['R7-U02', 'x', '', '']]);
  a.getRange(2, 3, 2, 1).setNumberFormat('yyyy-mm-dd');
  a.getRange(5, 2).setValue(true);
  b.getRange(1, 1).setValue('q');
}
function get(ranges, opts) {
  var id = SpreadsheetApp.getActiveSpreadsheet().getId();
  var o = opts || {};
  o.ranges = ranges;
  return Sheets.Spreadsheets.Values.batchGet(id, o);
}
`;

describe('Sheets.Spreadsheets.Values.batchGet (advanced service, v4)', () => {
  it('answers every range in the order asked, trimmed at its end, dates as serial numbers', () => {
    const rt = scriptRuntime(
      `${SETUP} function t() { return get(["'課題一覧'!A1:D10", "'It''s'!A1:C3", "'課題一覧'!B2:B3", "'課題一覧'!F1:G2"], { valueRenderOption: 'UNFORMATTED_VALUE', dateTimeRenderOption: 'SERIAL_NUMBER' }); }`,
    );
    run(rt, 'fill');
    const r = run<{ valueRanges: { range: string; values?: unknown[][] }[] }>(rt, 't');
    expect(r.valueRanges.map((v) => v.range)).toEqual([
      "'課題一覧'!A1:D10",
      "'It''s'!A1:C3",
      "'課題一覧'!B2:B3",
      "'課題一覧'!F1:G2",
    ]);
    expect(r.valueRanges[0]!.values).toEqual([
      ['ID', '名前', '日付', '数'],
      ['R7-U01', '', 45931, 3],
      ['R7-U02', 'x'],
      [],
      ['', true],
    ]);
    expect(r.valueRanges[1]!.values).toEqual([['q']]);
    // A row with nothing in the range, above one with something, comes as [].
    expect(r.valueRanges[2]!.values).toEqual([[], ['x']]);
    expect(r.valueRanges[3]!.values).toBeUndefined();
  });

  it('gives dates as their display text with FORMATTED_STRING, and every cell as shown by default', () => {
    const rt = scriptRuntime(
      `${SETUP} function t() { return [get(["'課題一覧'!C2:D2"], { valueRenderOption: 'UNFORMATTED_VALUE', dateTimeRenderOption: 'FORMATTED_STRING' }), get(["'課題一覧'!C2:D2"])]; }`,
    );
    run(rt, 'fill');
    const [formattedDates, formatted] = run<{ valueRanges: { values: unknown[][] }[] }[]>(rt, 't');
    expect(formattedDates!.valueRanges[0]!.values).toEqual([['2025-10-01', 3]]);
    expect(formatted!.valueRanges[0]!.values).toEqual([['2025-10-01', '3']]);
  });

  it('is one read round trip whatever the ranges, and costs its cells as getValues does', () => {
    const rt = scriptRuntime(
      `${SETUP} function t() { get(["'課題一覧'!A1:D3", "'It''s'!A1", "'課題一覧'!A5:B5"], { valueRenderOption: 'UNFORMATTED_VALUE' }); }`,
    );
    run(rt, 'fill');
    run(rt, 't');
    const r = rt.lastExecution!;
    // 12 cells of A1:D3 less the 2 trimmed from row 3, 1, and A5:B5 (2).
    expect(r).toMatchObject({ readRoundTrips: 1, cellsRead: 13, outcome: 'ok' });
    // getActiveSpreadsheet and getId are local calls; reaching Sheets.Spreadsheets.Values is none.
    expect(r.estimatedMs).toBeCloseTo(2 * COST.local + COST.sheetsApiRead + 13 * COST.readPerCell, 3);
  });

  it('refuses to read while SpreadsheetApp writes of the same execution are batched (the API would not see them)', () => {
    const rt = scriptRuntime(
      `${SETUP} function t() { sheet('課題一覧').getRange(9, 1).setValue('new'); return tryIt(function () { return get(["'課題一覧'!A9"], {}); }); }
       function flushed() { sheet('課題一覧').getRange(9, 1).setValue('new'); SpreadsheetApp.flush(); return get(["'課題一覧'!A9"], {}).valueRanges[0].values; }`,
    );
    run(rt, 'fill');
    expect(run(rt, 't')).toMatch(/^Exception: .*call SpreadsheetApp\.flush\(\) first/);
    expect(run(rt, 'flushed')).toEqual([['new']]);
  });

  it('fails the whole request on a sheet that does not exist', () => {
    const rt = scriptRuntime(
      `${SETUP} function t() { return tryIt(function () { return get(["'課題一覧'!A1", "'ない'!A1"], {}); }); }`,
    );
    run(rt, 'fill');
    expect(run(rt, 't')).toBe(
      "Exception: API call to sheets.spreadsheets.values.batchGet failed with error: Unable to parse range: 'ない'!A1",
    );
  });

  it('is refused in a simple trigger, which has no authorization (AuthMode.LIMITED)', () => {
    const rt = scriptRuntime(
      `${SETUP} function t() { return tryIt(function () { return get(["'課題一覧'!A1"], {}); }); }`,
    );
    run(rt, 'fill');
    expect(run(rt, 't', { mode: 'simple' })).toBe(
      'Exception: You do not have permission to call Sheets.Spreadsheets.Values.batchGet. Required permissions: https://www.googleapis.com/auth/spreadsheets',
    );
    expect(run<{ valueRanges: unknown[] }>(rt, 't')).toMatchObject({ valueRanges: [{}] });
  });

  it('exists only where the manifest enables the service (enabledAdvancedServices, userSymbol Sheets)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'no-sheets-api-'));
    writeFileSync(
      join(dir, 'appsscript.json'),
      JSON.stringify({
        timeZone: 'Asia/Tokyo',
        oauthScopes: ['https://www.googleapis.com/auth/spreadsheets'],
      }),
    );
    const code = 'function t() { return typeof Sheets; }';
    writeFileSync(join(dir, 'Code.js'), code);
    expect(run(scriptRuntime(code, { distDir: dir }), 't')).toBe('undefined');
    expect(run(scriptRuntime(code), 't')).toBe('object');
  });
});
