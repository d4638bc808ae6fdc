// Two copies of the same sample register for the tests that hold the Sheets API path to the
// SpreadsheetApp one (attack-batched-reads, attack-scoped-hand-edits): what each decided, and the
// sheets without what a run's duration changes.
import type { Runtime } from '../../local/runtime/runtime';
import { call, ok, sampleRuntime, sheetValues } from '../helpers';

export const REGISTER_SHEETS = ['課題一覧', '所管課別進捗', '協議記録', '変更履歴', '台帳状態'];

/** The same sample register twice: [with the Sheets API, with SpreadsheetApp reads only]. */
export function twins(): [Runtime, Runtime] {
  return [sampleRuntime(), sampleRuntime().withoutSheetsApi()];
}

/**
 * The sheets, without what the run's duration changes (the API path is faster on the emulated
 * clock): recorded times, and the seals that cover them.
 */
export const snapshot = (rt: Runtime, sheets: readonly string[] = REGISTER_SHEETS) =>
  Object.fromEntries(
    sheets
      .filter((n) => rt.workbook.sheet(n))
      .map((n) => [
        n,
        sheetValues(rt, n).map((r) =>
          r.map((v) =>
            /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}(:\d{2})?$/.test(v)
              ? '(時刻)'
              : /^[0-9a-f]{32}$/.test(v)
                ? '(封印)'
                : v,
          ),
        ),
      ]),
  );

/** A proposal's version, as the sidebar holds it before a save. */
export const version = (rt: Runtime, id: string, user?: string) =>
  ok(call<{ version: string }>(rt, 'apiGetProposal', { id }, user)).version;
