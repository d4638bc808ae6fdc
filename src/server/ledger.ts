// The add-on's own record of what it accepted: the head of 変更履歴 (row count, last seal) and of
// the accepted-state store (row count, keyed digest of IDs and seals), kept beside the secret in script
// properties, and a journal of the commit in progress. Nothing here is read from a cell without
// its seal being checked against the head.
import type { AcceptedState } from '../domain/accepted';
import { replayAccepted } from '../domain/accepted';
import { progressKey } from '../domain/draft';
import { type Digester, digester, SEAL_ZERO, type Sealer, sealer } from '../domain/seal';
import { GENESIS, readHistory, rowSeal, verifyHistory, verifyLegacyChain } from '../sheets/history';
import { LEDGER_COLUMNS, SHEETS } from '../sheets/layout';
import { readStore, readStoreOf, rewriteStore, type StoreRead, verifiedState } from '../sheets/ledger-store';
import { type LoadedRegister, NotSetUp } from '../sheets/register';
import { PROP_SECRET, scriptProps } from './context';

type Spreadsheet = GoogleAppsScript.Spreadsheet.Spreadsheet;

export const PROP_HEAD = 'LEDGER_HEAD';
export const PROP_JOURNAL = 'LEDGER_JOURNAL';

export interface LedgerHead {
  historyRows: number;
  historyLast: string;
  stateRows: number;
  stateXor: string;
  /**
   * 'keyed': `stateXor` is the keyed digest (seal.ts `digester`). A head written before it holds
   * the seals' plain XOR, and is moved to the keyed digest by the next check of the whole store.
   */
  digest?: 'keyed';
}

export const EMPTY_HEAD: LedgerHead = {
  historyRows: 0,
  historyLast: GENESIS,
  stateRows: 0,
  stateXor: SEAL_ZERO,
  digest: 'keyed',
};

/** Rows appended by a commit, told apart by the first and last key they hold. */
export interface Appended {
  at: number;
  count: number;
  first: string;
  last: string;
}

/** What a commit is about to write, so that a run that died midway can be finished or undone. */
export interface Journal {
  history: { at: number; count: number; last: string };
  /** Changed fields of existing records, by ID and by progress key. */
  proposals: Record<string, string[]>;
  progress: Record<string, string[]>;
  /** Proposals whose display columns the commit rewrites. */
  touched: string[];
  appended: { proposals?: Appended; progress?: Appended; consultations?: Appended };
  /** Highest ID numbers issued, written only once the commit is whole. */
  issued: Record<string, string>;
  /** 設定 cells the commit writes (a new 年度), put back to `old` when it is undone. */
  settings?: { row: number; col: number; old: string; new: string }[];
}

const parse = <T>(s: string | undefined | null): T | null => {
  if (!s) return null;
  try {
    return JSON.parse(s) as T;
  } catch {
    return null;
  }
};

/** Property values hold 9 KB: a long journal is kept in numbered parts. */
const PART = 8000;

function journalProps(journal: Journal | null): Record<string, string> {
  const text = journal ? JSON.stringify(journal) : '';
  const parts = Math.ceil(text.length / PART);
  const out: Record<string, string> = { [PROP_JOURNAL]: parts > 1 ? `parts:${parts}` : text };
  for (let i = 0; parts > 1 && i < parts; i++)
    out[`${PROP_JOURNAL}_${i}`] = text.slice(i * PART, (i + 1) * PART);
  return out;
}

function journalFrom(all: Record<string, string>): Journal | null {
  const v = all[PROP_JOURNAL];
  const m = /^parts:(\d+)$/.exec(v ?? '');
  if (!m) return parse<Journal>(v);
  let text = '';
  for (let i = 0; i < Number(m[1]); i++) text += all[`${PROP_JOURNAL}_${i}`] ?? '';
  return parse<Journal>(text);
}

export class Ledger {
  private storeRead: StoreRead | null = null;
  /** What was found wrong while reading, in words for the secretariat. */
  readonly problems: string[] = [];

  private constructor(
    readonly ss: Spreadsheet,
    readonly seal: Sealer,
    public head: LedgerHead | null,
    public journal: Journal | null,
  ) {}

  /** One properties read: the secret, the head and any unfinished commit. */
  static open(ss: Spreadsheet): Ledger {
    const all = scriptProps().getProperties();
    const secret = all[PROP_SECRET];
    if (!secret)
      throw new NotSetUp('初期設定が済んでいません。事務局がメニューの「初期設定」を実行してください。');
    return new Ledger(ss, sealer(secret), parse<LedgerHead>(all[PROP_HEAD]), journalFrom(all));
  }

  sheet(name: string) {
    const sheet = this.ss.getSheetByName(name);
    if (!sheet)
      throw new NotSetUp(`シート「${name}」がありません。メニューの「初期設定」を実行してください。`);
    return sheet;
  }

  /** The store as read, checked against the head (read once per run). */
  store(): StoreRead {
    if (!this.storeRead) this.storeRead = readStore(this.storeSheet(), this.digest);
    return this.storeRead;
  }

  /** One stored row's part of the store's digest (keyed by the secret). */
  readonly digest: Digester = (() => {
    let made: Digester | null = null;
    return (id: string, seal: string) => (made ??= digester(this.seal))(id, seal);
  })();

  /** How the head's digest counts a row: keyed, or (a head from before) the plain XOR of seals. */
  headDigest(): Digester | null {
    return this.head?.digest === 'keyed' ? this.digest : null;
  }

  /** A store read whole matches the head: its count, and its digest as the head counts it. */
  matchesHead(read: StoreRead): boolean {
    const head = this.head;
    if (!head || read.count !== head.stateRows) return false;
    return (head.digest === 'keyed' ? read.keyed : read.xor) === head.stateXor;
  }

  /** 台帳状態, made again (empty, so found tampered and rebuilt) when someone deleted it. */
  storeSheet() {
    const existing = this.ss.getSheetByName(SHEETS.ledger);
    if (existing) return existing;
    const sheet = this.ss.insertSheet(SHEETS.ledger);
    sheet.getRange(1, 1, 1, LEDGER_COLUMNS.length).setValues([LEDGER_COLUMNS.map((c) => c.header)]);
    sheet.hideSheet();
    sheet
      .protect()
      .setWarningOnly(true)
      .setDescription(`${SHEETS.ledger}はアドオンが書き込みます。手で変更しないでください。`);
    this.problems.push('台帳状態シートが削除されていたため、作り直しました。');
    return sheet;
  }

  /**
   * The store's rows of these proposals for a commit: the whole read when this run made one, the
   * rows the run's batched read brought (once: the commit then changes them), else those rows.
   */
  storeOf(ids: ReadonlySet<string>): StoreRead {
    if (this.storeRead) return this.storeRead;
    const fetched = this.fetched.store;
    this.fetched.store = undefined;
    if (fetched && [...ids].every((id) => fetched.ids.has(id))) return fetched.read;
    return readStoreOf(this.storeSheet(), ids);
  }

  /** The store as the run has read it whole (`openRegister` with the register, in one request). */
  useStore(read: StoreRead) {
    this.storeRead = read;
  }

  forgetStore() {
    this.storeRead = null;
    this.fetched = {};
  }

  /**
   * What the run's batched read (sheets/register-batch.ts) found of the add-on's own sheets, so a
   * commit does not ask again: the store's rows of the proposals read, 変更履歴's header and last row.
   */
  fetched: {
    store?: { ids: ReadonlySet<string>; read: StoreRead };
    historyHeader?: readonly unknown[];
    historyLastRow?: number;
  } = {};

  /** 変更履歴's last row with content: as the batched read found it (once), else asked of the sheet. */
  historyLastRow(sheet: GoogleAppsScript.Spreadsheet.Sheet): number {
    const known = this.fetched.historyLastRow;
    this.fetched.historyLastRow = undefined;
    return known ?? sheet.getLastRow();
  }

  /**
   * The last accepted state. A store that does not match its head (a row edited, removed, copied
   * or put back to an older version) is rebuilt from verified history and reported; a register
   * set up before the store existed gets one the same way.
   */
  accepted(reg: LoadedRegister): AcceptedState {
    if (!this.head) return this.upgrade(reg);
    const read = this.store();
    const { accepted, unsealed } = verifiedState(read, this.seal);
    if (unsealed.length === 0 && this.matchesHead(read)) {
      // A head from before the keyed digest moves to it once the whole store is found as it says.
      if (this.head.digest !== 'keyed') this.setHead({ ...this.head, stateXor: read.keyed, digest: 'keyed' });
      return accepted;
    }
    this.problems.push(
      `台帳状態シートが手で変更されています(${unsealed.length ? `${unsealed.slice(0, 10).join('・')}行目` : '行の削除・追加・差し替え'})。封印の合う行と変更履歴から作り直しました。`,
    );
    return this.rebuild(reg, accepted);
  }

  /**
   * The store made again from what can still be trusted: its rows whose own seal verifies (each
   * was written by the add-on), then verified history for records they lack. A rebuild never makes
   * a row of the register unknown (clearing it): a record found in neither is taken as the sheet
   * holds it, and listed for the secretariat.
   */
  private rebuild(reg: LoadedRegister, sealedRows: AcceptedState): AcceptedState {
    const head = this.head ?? EMPTY_HEAD;
    const entries = readHistory(this.sheet(SHEETS.history));
    const { verified } = verifyHistory(entries, this.seal, {
      rows: head.historyRows,
      last: head.historyLast,
    });
    const replayed = replayAccepted(entries.slice(0, verified), reg.state);
    const accepted: AcceptedState = {
      proposals: new Map([...replayed.proposals, ...sealedRows.proposals]),
      progress: new Map([...replayed.progress, ...sealedRows.progress]),
    };
    const unverified: string[] = [];
    for (const p of reg.state.proposals)
      if (p.id && !accepted.proposals.has(p.id)) {
        accepted.proposals.set(p.id, p);
        unverified.push(p.id);
      }
    // A department row only for a proposal itself taken from the sheet: for a known proposal, an
    // unknown (ID, 所管課) is left to the edit check (a department added by hand), never accepted
    // here, as a 所管課 column sorted in the same run would otherwise be.
    const fromSheet = new Set(unverified);
    for (const r of reg.state.progress) {
      const key = progressKey(r.id, r.department);
      if (!accepted.progress.has(key) && fromSheet.has(r.id)) {
        accepted.progress.set(key, r);
        unverified.push(`${r.id} ${r.department}`);
      }
    }
    if (unverified.length)
      this.problems.push(
        `確かめられる記録がないため、シートの内容のまま受け付けた行: ${unverified.slice(0, 20).join('、')}${unverified.length > 20 ? ` ほか${unverified.length - 20}件` : ''}`,
      );
    const state = rewriteStore(this.storeSheet(), accepted, this.seal, this.digest);
    this.setHead({ ...head, stateRows: state.count, stateXor: state.xor, digest: 'keyed' });
    this.forgetStore();
    return accepted;
  }

  /**
   * A register set up before seals: its history is checked by the old public chain, then every
   * row is sealed with the secret and the store built. A break in the old chain is reported.
   */
  private upgrade(reg: LoadedRegister): AcceptedState {
    const sheet = this.sheet(SHEETS.history);
    const entries = readHistory(sheet);
    const broken = verifyLegacyChain(entries);
    if (broken !== null)
      this.problems.push(`更新前の変更履歴の${broken}行目が書き換えられたか、その前の行が削除されています。`);
    const header = sheet
      .getRange(1, 1, 1, sheet.getLastColumn())
      .getValues()[0]!
      .map((h) => String(h).trim());
    const hashCol = header.indexOf('ハッシュ');
    let last = GENESIS;
    if (entries.length && hashCol >= 0) {
      const seals: string[][] = [];
      for (const e of entries) {
        last = rowSeal(this.seal, last, e);
        seals.push([last]);
      }
      // Rows read are contiguous from row 2 unless people left blank rows; write each seal in place.
      entries.forEach((e, i) => {
        if (e.row !== i + 2)
          throw new Error('変更履歴に空の行があります。空の行を削除してから初期設定を実行してください。');
      });
      sheet.getRange(2, hashCol + 1, seals.length, 1).setValues(seals);
    }
    this.head = { ...EMPTY_HEAD, historyRows: entries.length, historyLast: last };
    const accepted = replayAccepted(entries, reg.state);
    const state = rewriteStore(this.storeSheet(), accepted, this.seal, this.digest);
    this.setHead({ ...this.head, stateRows: state.count, stateXor: state.xor, digest: 'keyed' });
    this.forgetStore();
    return accepted;
  }

  setHead(head: LedgerHead, extra: Record<string, string> = {}) {
    this.head = head;
    scriptProps().setProperties({ [PROP_HEAD]: JSON.stringify(head), ...extra });
  }

  /** Written before a commit's first write. */
  begin(journal: Journal) {
    this.journal = journal;
    scriptProps().setProperties(journalProps(journal));
  }

  /** Written after a commit's last write: the new head, the IDs issued, and no journal. */
  finish(head: LedgerHead, issued: Record<string, string>) {
    this.journal = null;
    this.setHead(head, { ...issued, ...journalProps(null) });
  }
}
