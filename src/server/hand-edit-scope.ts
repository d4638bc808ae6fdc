// A typed cell or a pasted block, checked from the rows it touched (issue #19): the register's
// key columns, the touched proposals' rows, 台帳状態's rows of those proposals, and the store's ID
// and seal columns to check it against the head. The whole check (every row of the sheet settled,
// every stored record verified) reads both tables and the store whole: 13 s at 10,000 proposals.
//
// It is taken only when nothing needs the whole check: no key cell (ID, 所管課) in the edited
// range, every edited row the first row of a record the store holds and carrying that record's
// fingerprint, the store's row count and keyed digest as the head says (a head from before the
// keyed digest: the whole check), every stored row read sealed. Otherwise `null`, and the caller
// runs the whole check, which settles identity, rebuilds a tampered store and reports. Rows the
// edit did not touch are left to the checks that watch them: onChange settles every row after a
// row is removed, inserted or sorted (changes.ts), and the daily run verifies every stored row.
import type { AcceptedState } from '../domain/accepted';
import { progressKey } from '../domain/draft';
import { batchReadAvailable } from '../sheets/batch-read';
import { SHEETS } from '../sheets/layout';
import { acceptedRows, progressStoreKey, proposalStoreKey } from '../sheets/ledger-store';
import type { LoadedRegister } from '../sheets/register';
import { loadRegisterOfBatched } from '../sheets/register-batch';
import type { Table } from '../sheets/table';
import { Ledger } from './ledger';
import { PROGRESS_PRINT, PROPOSAL_PRINT } from './row-identity';

export interface Bounds {
  firstRow: number;
  lastRow: number;
  firstCol: number;
  lastCol: number;
}

export interface ScopedCheck {
  reg: LoadedRegister;
  ledger: Ledger;
  accepted: AcceptedState;
}

export function openScoped(
  ss: GoogleAppsScript.Spreadsheet.Spreadsheet,
  today: string,
  table: 'proposals' | 'progress',
  at: Bounds,
): ScopedCheck | null {
  if (!batchReadAvailable() || at.firstRow < 2) return null;
  const ledger = Ledger.open(ss);
  const head = ledger.head;
  // A head from before the keyed digest: the whole check counts the store and moves the head to it.
  if (ledger.journal || !head || head.digest !== 'keyed') return null;
  let rowWithoutKey = false;
  const { reg, storeHead, ids, ...fetched } = loadRegisterOfBatched(
    ss,
    today,
    (keyed) => {
      const ids = new Set<string>();
      for (let row = at.firstRow; row <= at.lastRow; row++) {
        const id = keyed[table].textAt(row, 'id');
        if (id) ids.add(id);
        else rowWithoutKey = true;
      }
      return ids;
    },
    {
      store: ss.getSheetByName(SHEETS.ledger),
      history: ss.getSheetByName(SHEETS.history),
      historyRows: head.historyRows,
      storeHead: ledger.digest,
    },
  );
  if (rowWithoutKey || !fetched.store) return null;
  if (!storeHead || storeHead.count !== head.stateRows || storeHead.xor !== head.stateXor) return null;
  const t = reg[table];
  const keyCols =
    table === 'proposals' ? [t.col.id!] : [t.col.id!, (t as LoadedRegister['progress']).col.department!];
  if (keyCols.some((c) => c + 1 >= at.firstCol && c + 1 <= at.lastCol)) return null;

  // The stored records of these proposals, each row's seal checked (no read: the rows are in hand).
  const records = [...ids].flatMap((id) => [
    proposalStoreKey(id),
    ...reg.state.progress.filter((r) => r.id === id).map((r) => progressStoreKey(r.id, r.department)),
  ]);
  const accepted = acceptedRows(ledger.storeSheet(), fetched.store.read, ledger.seal, records);
  // Every record in the sheet stored and sealed, and none stored that the sheet lacks (a deleted
  // department row, which the whole check restores).
  if (accepted.proposals.size + accepted.progress.size !== records.length) return null;
  if (fetched.store.read.rowOf.size !== records.length) return null;
  for (let row = at.firstRow; row <= at.lastRow; row++) {
    const id = t.textAt(row, 'id');
    const department = table === 'progress' ? reg.progress.textAt(row, 'department') : '';
    const index =
      table === 'proposals' ? reg.proposalRow.get(id) : reg.progressRow.get(progressKey(id, department));
    // A second row of a record, or a row whose (ID, 所管課) no record has: the whole check.
    if (index === undefined || t.rowNumber(index) !== row) return null;
    // A key changed with no check since (its trigger lost): the row's other cells are another
    // record's. The whole check settles which record each row is.
    if (!sameRecord(reg, accepted, table, row, id, department, at)) return null;
  }
  ledger.fetched = fetched;
  return { reg, ledger, accepted };
}

/**
 * Whether the row's fingerprint (row-identity.ts), outside the edited columns, is its stored
 * record's: what the whole check's settling would find.
 */
function sameRecord(
  reg: LoadedRegister,
  accepted: AcceptedState,
  table: 'proposals' | 'progress',
  row: number,
  id: string,
  department: string,
  at: Bounds,
): boolean {
  const stored = (
    table === 'proposals' ? accepted.proposals.get(id) : accepted.progress.get(progressKey(id, department))
  ) as Readonly<Record<string, unknown>> | undefined;
  if (!stored) return false;
  const t = reg[table] as Table<string>;
  const print: readonly string[] = table === 'proposals' ? PROPOSAL_PRINT : PROGRESS_PRINT;
  return print.every((key) => {
    const c = t.col[key];
    if (c === undefined || (c + 1 >= at.firstCol && c + 1 <= at.lastCol)) return true;
    const now = t.textAt(row, key);
    return (key === 'stage' ? now || '未提示' : now) === String(stored[key] ?? '');
  });
}
