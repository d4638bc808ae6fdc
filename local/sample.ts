// The seed's sample (令和7年度, 34 proposals) loaded the way a city would: the department
// directory and settings typed in by hand, then the proposals imported through the add-on.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Papa from 'papaparse';
import { typeInto } from './runtime/people';
import type { Runtime } from './runtime/runtime';
import { columnLetters } from './runtime/spreadsheet';
import { displayValue } from './runtime/values';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
export const SAMPLE_CSV = join(root, 'sample/r7-sample.csv');
export const SAMPLE_DEPARTMENTS = join(root, 'sample/departments.csv');
export const SAMPLE_PT = ['pt.tanaka@example.jp', 'pt.suzuki@example.jp'];

/** Finds a header's column (1-based) in a sheet's first row, as a person would look for it. */
function headerColumn(rt: Runtime, sheet: string, header: string): number {
  const model = rt.workbook.sheet(sheet)!;
  for (let c = 0; c < model.lastColumn(); c++) if (displayValue(model.cell(0, c)) === header) return c + 1;
  throw new Error(`${sheet} has no column ${header}`);
}

function setSetting(rt: Runtime, key: string, value: string, user: string) {
  const model = rt.workbook.sheet('設定')!;
  const k = headerColumn(rt, '設定', '項目');
  const v = headerColumn(rt, '設定', '値');
  for (let r = 1; r < model.lastRow(); r++) {
    if (displayValue(model.cell(r, k - 1)) === key)
      return typeInto(rt, `設定!${columnLetters(v)}${r + 1}`, [[value]], { user });
  }
  throw new Error(`設定 has no ${key}`);
}

export function loadSample(rt: Runtime, user: string) {
  setSetting(rt, '年度', '令和7年度', user);
  setSetting(rt, 'PTメンバー', SAMPLE_PT.join('、'), user);
  setSetting(rt, 'PT連絡先', SAMPLE_PT[0]!, user);
  const [header, ...rows] = Papa.parse<string[]>(readFileSync(SAMPLE_DEPARTMENTS, 'utf8').trim()).data;
  const cols = header!.map((h) => headerColumn(rt, '所管課', h));
  const first = rt.workbook.sheet('所管課')!.lastRow() + 1;
  // A person pastes the directory row by row, each value under its header.
  const width = Math.max(...cols);
  rows.forEach((row, i) => {
    const line = new Array<string>(width).fill('');
    row.forEach((value, j) => {
      line[cols[j]! - 1] = value;
    });
    typeInto(rt, `所管課!A${first + i}`, [line], { user });
  });
  return rt.call<{ ok: boolean }>(
    'apiImportCsv',
    [{ csv: readFileSync(SAMPLE_CSV, 'utf8'), fileName: 'r7-sample.csv' }],
    user,
  );
}
