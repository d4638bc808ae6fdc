// The local workbook: a real .xlsx (exceljs) plus a sidecar JSON, round-tripping what the add-on sets.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { loadWorkbook, saveWorkbook } from '../../local/runtime/persist';
import { displayValue } from '../../local/runtime/values';
import { run, scriptRuntime } from '../helpers';

const CODE = `function make() {
  var s = SpreadsheetApp.getActive().insertSheet('課題一覧');
  s.getRange('A1:D1').setValues([['ID', '提示日', '件数', '備考']]);
  s.getRange('A2:D2').setValues([["'001", '2025/11/25', 3, '=1+1']]);
  s.getRange('B2').setNumberFormat('yyyy-mm-dd');
  s.getRange('A2').setNote('注記');
  s.getRange('C2').setDataValidation(SpreadsheetApp.newDataValidation().requireValueInList(['①', '②']).build());
  s.setFrozenRows(1); s.setColumnWidth(1, 140); s.getRange('A1').setFontWeight('bold').setBackground('#e8f0fe');
  s.protect().setWarningOnly(true);
  s.getRange('E5').setNumberFormat('yyyy-mm-dd');
  PropertiesService.getScriptProperties().setProperty('k', 'v');
}`;

describe('local workbook (.xlsx + sidecar)', () => {
  it('round-trips values, dates, text, formulas, notes, validations, frozen rows, widths, styles, properties', async () => {
    const rt = scriptRuntime(CODE);
    run(rt, 'make', { mode: 'menu' });
    const file = join(mkdtempSync(join(tmpdir(), 'wb-')), 'r.xlsx');
    await saveWorkbook(file, rt.workbook, rt.state);
    const { workbook, state } = await loadWorkbook(file);
    const s = workbook.sheet('課題一覧')!;
    expect([0, 1, 2, 3].map((c) => displayValue(s.cell(1, c)))).toEqual([
      '001',
      '2025-11-25',
      '3',
      '#ERROR!',
    ]);
    expect(s.cell(1, 3)!.f).toBe('=1+1');
    expect(s.cell(1, 0)!.note).toBe('注記');
    expect(s.cell(1, 2)!.validation).toMatchObject({
      type: 'VALUE_IN_LIST',
      values: ['①', '②'],
      allowInvalid: true,
    });
    expect(s.frozenRows).toBe(1);
    expect(s.colWidths[1]).toBe(140);
    expect(s.cell(0, 0)!.style).toMatchObject({ bold: true, background: '#E8F0FE' });
    expect(s.protections[0]!.warningOnly).toBe(true);
    expect(state.properties.script.k).toBe('v');
    // A format on a still-empty cell survives (a date column formatted ahead of its values).
    expect(s.cell(4, 4)!.fmt).toBe('yyyy-mm-dd');
  });

  it('is a workbook that other tools read: Japanese sheet names, a real date cell', async () => {
    const rt = scriptRuntime(CODE);
    run(rt, 'make', { mode: 'menu' });
    const file = join(mkdtempSync(join(tmpdir(), 'wb-')), 'r.xlsx');
    await saveWorkbook(file, rt.workbook, rt.state);
    const x = new ExcelJS.Workbook();
    await x.xlsx.readFile(file);
    const ws = x.getWorksheet('課題一覧')!;
    expect(ws.getCell('A2').value).toBe('001');
    expect(ws.getCell('B2').value).toBeInstanceOf(Date);
    expect((ws.getCell('B2').value as Date).toISOString()).toBe('2025-11-25T00:00:00.000Z');
  });
});
