// The last look before a commit writes, in one Sheets API request: the cells it changes must still
// hold what was read (a person may have typed since: the change is then refused as stale), and the
// rows it appends to must be empty. Where the rows go was found by the run's reads (the rows below
// each sheet's last key, sheets/register-batch.ts), which cannot see a formula that shows nothing
// and were made a moment earlier: a row found holding anything (read with formulas as their text)
// moves the append below the sheet's last row, as getLastRow finds it now.
// Without the advanced service the commit re-reads each changed row and asks getLastRow instead.
import { type Box, batchReadAvailable, readBoxes } from '../sheets/batch-read';
import type { Writes } from '../sheets/table';

type Sheet = GoogleAppsScript.Spreadsheet.Sheet;

/** Rows a commit appends to one sheet, and where the run's reads put the first (asked only when there are rows). */
export interface AppendPlan {
  sheet: Sheet;
  rows: number;
  at: () => number;
  /** Ask where even with no rows (the journal records where 変更履歴's rows would go). */
  always?: boolean;
}

export function checkBeforeWriting<K extends string>(
  ss: GoogleAppsScript.Spreadsheet.Spreadsheet,
  writes: readonly Writes[],
  appends: Record<K, AppendPlan>,
): { stale: boolean; at: Record<K, number> } {
  const plans = Object.entries(appends) as [K, AppendPlan][];
  const placed = () =>
    Object.fromEntries(plans.map(([k, p]) => [k, p.rows || p.always ? p.at() : 0])) as Record<K, number>;
  // Without the API: the re-read first, then getLastRow, as close to the writes as they can be.
  if (!batchReadAvailable()) {
    const stale = writes.some((w) => w.changedSinceRead().length > 0);
    return { stale, at: placed() };
  }
  const at = placed();
  const rechecks = writes.map((w) => w.recheckBoxes());
  const targets = plans.flatMap(([key, p]) => {
    const room = p.sheet.getMaxRows() - at[key] + 1;
    if (!p.rows || room <= 0) return [];
    const box: Box = {
      sheet: p.sheet,
      row: at[key],
      col: 1,
      rows: Math.min(p.rows, room),
      cols: p.sheet.getMaxColumns(),
    };
    return [{ key, box }];
  });
  const checked = rechecks.flat().length;
  const grids = readBoxes(ss, [...rechecks.flat(), ...targets.map((t) => t.box)], true);
  let next = 0;
  const changed = writes.map((w, i) => {
    const mine = grids.slice(next, next + rechecks[i]!.length);
    next += rechecks[i]!.length;
    return w.changedIn(mine).length;
  });
  targets.forEach((t, i) => {
    const grid = grids[checked + i] ?? [];
    if (grid.some((row) => row.some((v) => v !== '' && v !== null && v !== undefined)))
      at[t.key] = t.box.sheet.getLastRow() + 1;
  });
  return { stale: changed.some((n) => n > 0), at };
}
