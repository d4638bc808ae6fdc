// The one path every change from the sidebar takes: check the caller, validate the payload,
// then under the script lock read the register, decide, and write only what changed.

import type * as z from 'zod/mini';
import { Draft } from '../domain/draft';
import type { ChangePath } from '../domain/labels';
import { Refused } from '../domain/operations';
import { fieldErrors } from '../domain/schemas';
import { batchReadAvailable } from '../sheets/batch-read';
import { SHEETS } from '../sheets/layout';
import { storeFromValues } from '../sheets/ledger-store';
import {
  type LoadedRegister,
  loadRegister,
  loadRegisterOf,
  loadRegisterWith,
  NotSetUp,
} from '../sheets/register';
import { loadRegisterOfBatched } from '../sheets/register-batch';
import { theRegister } from '../sheets/register-scope';
import { clockFor } from './clock';
import { commitDraft, repairUnfinished } from './commit';
import { ownerEmail, roleOf, sidebarCaller } from './context';
import { Ledger } from './ledger';
import { withScriptLock } from './lock';
import { afterChange, PROP_DIRTY } from './summary-refresh';

export function parseOrRefuse<S extends z.ZodMiniType>(schema: S, payload: unknown): z.output<S> {
  const parsed = schema.safeParse(payload);
  if (!parsed.success) {
    const errors = fieldErrors(parsed.error);
    throw new Refused('invalid', Object.values(errors)[0] ?? '入力を確認してください。', errors);
  }
  return parsed.data;
}

/**
 * The register and the add-on's ledger, inside the lock: a commit left unfinished by a run that
 * died is finished or undone first, so every decision starts from a whole state.
 */
export function openRegister(
  ss: GoogleAppsScript.Spreadsheet.Spreadsheet,
  today: string,
  /** Read 台帳状態 whole too, in the same request: the run checks the accepted state (hand edits). */
  withStore = false,
) {
  const storeSheet = withStore ? ss.getSheetByName(SHEETS.ledger) : null;
  const loaded = loadRegisterWith(ss, today, storeSheet ? [storeSheet] : []);
  let reg = loaded.reg;
  const ledger = Ledger.open(ss);
  if (storeSheet) ledger.useStore(storeFromValues(loaded.also[0]!, ledger.digest));
  if (repairUnfinished(ledger, reg)) {
    ledger.forgetStore();
    reg = loadRegister(ss, today);
  }
  return { reg, ledger };
}

/**
 * The register as a change to these proposals needs it (`loadRegisterOf`), and the ledger. When a
 * dead commit waits to be finished or undone, or the ledger has no head yet, the whole register.
 */
function openRegisterOf(
  ss: GoogleAppsScript.Spreadsheet.Spreadsheet,
  today: string,
  ids: ReadonlySet<string>,
) {
  if (!batchReadAvailable()) {
    const reg = loadRegisterOf(ss, today, ids);
    const ledger = Ledger.open(ss);
    if (ledger.journal || !ledger.head) return { ...openRegister(ss, today), partial: false };
    return { reg, ledger, partial: true };
  }
  const ledger = Ledger.open(ss);
  if (ledger.journal || !ledger.head) return { ...openRegister(ss, today), partial: false };
  // The same rows in two Sheets API requests, with what the commit would ask again of the
  // add-on's own sheets (台帳状態's rows of these proposals, 変更履歴's header and last row).
  const { reg, ...fetched } = loadRegisterOfBatched(ss, today, ids, {
    store: ss.getSheetByName(SHEETS.ledger),
    history: ss.getSheetByName(SHEETS.history),
    historyRows: ledger.head.historyRows,
  });
  ledger.fetched = fetched;
  return { reg, ledger, partial: true };
}

/** For runs that read little (the triggers): finishes or undoes a dead commit if there is one. */
export function repairIfUnfinished(ss: GoogleAppsScript.Spreadsheet.Spreadsheet, today: string): void {
  try {
    if (Ledger.open(ss).journal) openRegister(ss, today);
  } catch (e) {
    if (!(e instanceof NotSetUp)) throw e;
  }
}

export interface Session {
  email: string;
  reg: LoadedRegister;
  draft: Draft;
}

/**
 * Runs `decide` on a fresh read of the register inside the lock and commits its draft.
 * `path` is the history's 経路; `email` is who acts ('' when Sheets did not say).
 */
export function mutateAs<T>(
  email: string,
  path: ChangePath,
  decide: (s: Session) => T,
  opts: { requireRole?: boolean; selectRow?: boolean; ids?: readonly string[] } = {},
): T {
  const ss = theRegister();
  return withScriptLock(() => {
    const clock = clockFor(ss);
    const { reg, ledger, partial } = opts.ids
      ? openRegisterOf(ss, clock.today, new Set(opts.ids))
      : { ...openRegister(ss, clock.today), partial: false };
    const role = roleOf(email, reg.state.settings, ownerEmail());
    if (opts.requireRole !== false && !role) {
      throw new Refused(
        'forbidden',
        'この台帳を編集する権限がありません。事務局に、設定シートの「PTメンバー」への追加を依頼してください。',
      );
    }
    const draft = new Draft(reg.state, {
      email,
      role,
      path,
      today: clock.today,
      recordedAt: clock.recordedAt,
    });
    const result = decide({ email, reg, draft });
    if (partial) {
      // Only these proposals' rows were read: a change to any other would be decided on nothing.
      const loaded = new Set(opts.ids);
      if (draft.newProposals.length || [...draft.touched].some((id) => !loaded.has(id)))
        throw new Error('mutateAs: a change outside the proposals it read');
      // Nor can that state be counted: 集計 is marked, in the properties write that ends the
      // commit, for apiRefreshSummary (which the sidebar calls next) or the 10-minute run.
      if (draft.history.length) draft.props.set(PROP_DIRTY, '1');
    }
    const rows = commitDraft(reg, draft, ledger);
    if (!partial && draft.history.length) afterChange(ss, path, draft.state);
    // After a sidebar save the person sees the row they changed, selected in 課題一覧.
    if (opts.selectRow && rows.size === 1) {
      const [row] = rows.values();
      reg.proposals.sheet.getRange(row!, 1, 1, reg.proposals.width()).activate();
    }
    return result;
  });
}

/** A sidebar save: the caller must be a known person with a role. */
export function mutate<S extends z.ZodMiniType, T>(
  schema: S,
  payload: unknown,
  decide: (s: Session, input: z.output<S>) => T,
  /** The proposals the change touches, when known from the input: only their rows are read. */
  idsOf?: (input: z.output<S>) => readonly string[],
): T {
  const email = sidebarCaller();
  const input = parseOrRefuse(schema, payload);
  return mutateAs(email, 'サイドバー', (s) => decide(s, input), { selectRow: true, ids: idsOf?.(input) });
}

/** A read from the sidebar: the caller must be a known person with a role. */
export function readAs<T>(read: (s: { email: string; reg: LoadedRegister; role: string }) => T): T {
  const email = sidebarCaller();
  const ss = theRegister();
  const reg = loadRegister(ss, clockFor(ss).today);
  const role = roleOf(email, reg.state.settings, ownerEmail());
  if (!role)
    throw new Refused(
      'forbidden',
      'この台帳を見る権限がありません。事務局に、設定シートの「PTメンバー」への追加を依頼してください。',
    );
  return read({ email, reg, role });
}
