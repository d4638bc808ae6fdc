// Committing a Draft whole or not at all. Everything is checked before the first write (stored
// cell lengths, cells someone typed into since they were read); a journal of what is about to be
// written goes beside the secret first; then the register's cells, 変更履歴 (sealed), the accepted
// state, and last the head. A run that dies anywhere in between leaves the journal, and the next
// run finishes the commit (history landed: its cells had landed before it) or undoes it.

import type { AcceptedState } from '../domain/accepted';
import { MAX_CELL_CHARS, storedLength } from '../domain/cell-text';
import { shortFiscalYear } from '../domain/dates';
import type { Draft } from '../domain/draft';
import { type HistoryEntry, PROGRESS_FIELD_OF_LABEL, PROPOSAL_FIELD_OF_LABEL } from '../domain/history-entry';
import type { Progress, Proposal } from '../domain/model';
import { Refused } from '../domain/operations';
import { displayFor } from '../domain/stage';
import { appendHistory, readHistory, sealHistory } from '../sheets/history';
import { SHEETS } from '../sheets/layout';
import {
  acceptedRows,
  planStore,
  progressStoreKey,
  proposalStoreKey,
  writeStore,
} from '../sheets/ledger-store';
import { cellFor, type LoadedRegister, rowFor } from '../sheets/register';
import { type Table, Writes } from '../sheets/table';
import { type Appended, EMPTY_HEAD, type Journal, type Ledger } from './ledger';
import { checkBeforeWriting } from './pre-write';

const stored = (v: unknown) => (typeof v === 'string' ? v.length : 0);

function tooLong(label: string): string {
  return `「${label}」が長すぎます(保存できるのは${MAX_CELL_CHARS.toLocaleString('en-US')}文字までです)。`;
}

/** Every value about to be written fits its cell, or the whole commit is refused naming the field. */
function checkLengths(
  writes: { w: Writes; table: Table<string> }[],
  history: readonly { new: string; old: string; field: string }[],
) {
  const errors: Record<string, string> = {};
  for (const { w, table } of writes) {
    for (const { col, value } of w.pending()) {
      if (stored(value) <= MAX_CELL_CHARS) continue;
      const header = table.header[col - 1] ?? '';
      const key = table.defs.find((d) => d.header === header)?.key ?? header;
      errors[key] = tooLong(header);
    }
  }
  for (const e of history)
    if (storedLength(e.new) > MAX_CELL_CHARS || storedLength(e.old) > MAX_CELL_CHARS)
      errors.history ??= tooLong(`変更履歴の${e.field}`);
  const keys = Object.keys(errors);
  if (keys.length) throw new Refused('invalid', errors[keys[0]!]!, errors);
}

function appended(
  w: Writes,
  at: number,
  keyOf: (row: unknown[]) => string,
  rows: unknown[][],
): Appended | undefined {
  if (!w.appendedCount) return undefined;
  return { at, count: w.appendedCount, first: keyOf(rows[0]!), last: keyOf(rows[rows.length - 1]!) };
}

/**
 * Writes what the draft changed: changed cells, appended rows, display columns, history, the
 * accepted state. Returns the sheet row of each proposal it touched in 課題一覧.
 */
export function commitDraft(reg: LoadedRegister, draft: Draft, ledger: Ledger): Map<string, number> {
  if (!ledger.head) ledger.accepted(reg);
  const head = ledger.head ?? EMPTY_HEAD;
  const pw = reg.proposals.writes();
  const gw = reg.progress.writes();
  const cw = reg.consultations.writes();
  const journal: Journal = {
    history: { at: 0, count: draft.history.length, last: '' },
    proposals: {},
    progress: {},
    touched: [...draft.touched],
    appended: {},
    issued: {
      ...Object.fromEntries([...draft.issued].map(([prefix, n]) => [`ISSUED:${prefix}`, String(n)])),
      ...Object.fromEntries(draft.props),
    },
    ...(draft.settingWrites.length ? { settings: draft.settingWrites.map((w) => ({ ...w })) } : {}),
  };

  for (const [id, fields] of draft.updatedProposals) {
    const i = reg.proposalRow.get(id)!;
    const p = draft.proposal(id)!;
    journal.proposals[id] = [...fields];
    for (const f of fields)
      pw.set(
        reg.proposals.rowNumber(i),
        reg.proposals.col[f]! + 1,
        cellFor(f, p[f]),
        reg.proposals.raw(i, f),
      );
  }
  const newProposalRows = draft.newProposals.map((p) =>
    rowFor(reg.proposals, {
      ...p,
      fiscalYear: shortFiscalYear(p.fiscalYear),
      ...displayFor(p, draft.progressOf(p.id)),
    }),
  );
  for (const row of newProposalRows) pw.append(row);
  for (const id of draft.touched) {
    const i = reg.proposalRow.get(id);
    const p = draft.proposal(id);
    if (i === undefined || !p) continue;
    const display = displayFor(p, draft.progressOf(id));
    for (const [key, value] of Object.entries(display) as [
      'departments' | 'stage' | 'decidingDepartment',
      string,
    ][])
      if (reg.proposals.text(i, key) !== value)
        pw.set(reg.proposals.rowNumber(i), reg.proposals.col[key]! + 1, cellFor(key, value));
  }
  for (const [key, fields] of draft.updatedProgress) {
    const i = reg.progressRow.get(key)!;
    const [id, department] = key.split('\u0000') as [string, string];
    const row = draft.progress(id, department)!;
    journal.progress[key] = [...fields];
    for (const f of fields)
      gw.set(reg.progress.rowNumber(i), reg.progress.col[f]! + 1, cellFor(f, row[f]), reg.progress.raw(i, f));
  }
  const newProgressRows = draft.newProgress.map((r) => rowFor(reg.progress, r));
  for (const row of newProgressRows) gw.append(row);
  const newConsultationRows = draft.newConsultations.map((c) => rowFor(reg.consultations, c));
  for (const row of newConsultationRows) cw.append(row);

  checkLengths(
    [
      { w: pw, table: reg.proposals as Table<string> },
      { w: gw, table: reg.progress as Table<string> },
      { w: cw, table: reg.consultations as Table<string> },
    ],
    draft.history,
  );
  // Just before writing, the cells to change must still hold what was read (a person may have
  // typed into them since): otherwise nothing is written and the change is refused as stale.
  const settingsSheet = draft.settingWrites.length ? reg.ss.getSheetByName(SHEETS.settings) : null;
  const settingsStale =
    !!settingsSheet &&
    draft.settingWrites.some(
      (w) => String(settingsSheet.getRange(w.row, w.col).getDisplayValue()).trim() !== w.old,
    );
  if (!draft.history.length && !pw.size && !gw.size && !cw.size) return new Map();

  const historySheet = ledger.sheet(SHEETS.history);
  const sealed = sealHistory(
    historySheet,
    draft.history,
    ledger.seal,
    head.historyLast,
    ledger.fetched.historyHeader,
  );
  const store = ledger.storeOf(touchedIds(draft));
  const plan = planStore(
    store,
    { count: head.stateRows, xor: head.stateXor, digest: ledger.headDigest() },
    ledger.seal,
    changedRecords(draft, acceptedRows(ledger.storeSheet(), store, ledger.seal, touchedKeys(draft))),
  );
  const cellOf =
    (t: { col: Partial<Record<'id' | 'recordId', number>> }, k: 'id' | 'recordId') => (row: unknown[]) =>
      String(row[t.col[k] ?? 0] ?? '');
  const storeSheet = ledger.storeSheet();
  // Just before writing, the cells to change must still hold what was read (a person may have
  // typed into them since): otherwise nothing is written and the change is refused as stale.
  const { stale, at } = checkBeforeWriting(reg.ss, [pw, gw], {
    proposals: { sheet: reg.proposals.sheet, rows: pw.appendedCount, at: () => reg.proposals.lastRow() + 1 },
    progress: { sheet: reg.progress.sheet, rows: gw.appendedCount, at: () => reg.progress.lastRow() + 1 },
    consultations: {
      sheet: reg.consultations.sheet,
      rows: cw.appendedCount,
      at: () => reg.consultations.lastRow() + 1,
    },
    history: {
      sheet: historySheet,
      rows: sealed.rows.length,
      at: () => ledger.historyLastRow(historySheet) + 1,
      always: true,
    },
    store: {
      sheet: storeSheet,
      rows: plan.appended.length,
      at: () => (store.lastRow || storeSheet.getLastRow()) + 1,
    },
  });
  if (stale || settingsStale)
    throw new Refused(
      'stale',
      '他の人がこの行を編集しました。最新の内容を確認してから、もう一度保存してください。',
    );
  const storeLast = plan.appended.length ? at.store - 1 : 0;
  const pAt = at.proposals;
  const gAt = at.progress;
  const cAt = at.consultations;
  journal.appended = {
    proposals: appended(pw, pAt, cellOf(reg.proposals, 'id'), newProposalRows),
    progress: appended(gw, gAt, cellOf(reg.progress, 'id'), newProgressRows),
    consultations: appended(cw, cAt, cellOf(reg.consultations, 'recordId'), newConsultationRows),
  };
  journal.history = {
    at: at.history,
    count: sealed.rows.length,
    last: sealed.last,
  };

  ledger.begin(journal);
  const firstNew = pw.flush(pAt || undefined);
  gw.flush(gAt || undefined);
  cw.flush(cAt || undefined);
  if (settingsSheet)
    for (const w of draft.settingWrites)
      settingsSheet.getRange(w.row, w.col).setNumberFormat('@').setValue(w.new);
  // The register's cells land before their history: history present means the cells are too.
  SpreadsheetApp.flush();
  appendHistory(historySheet, sealed, journal.history.at);
  writeStore(ledger.storeSheet(), plan, storeLast);
  ledger.forgetStore();
  ledger.finish(
    {
      historyRows: head.historyRows + sealed.rows.length,
      historyLast: sealed.rows.length ? sealed.last : head.historyLast,
      stateRows: plan.count,
      stateXor: plan.xor,
      ...(head.digest ? { digest: head.digest } : {}),
    },
    journal.issued,
  );
  const rows = new Map<string, number>();
  for (const id of draft.touched) {
    const i = reg.proposalRow.get(id);
    if (i !== undefined) rows.set(id, reg.proposals.rowNumber(i));
  }
  draft.newProposals.forEach((p, k) => rows.set(p.id, firstNew + k));
  return rows;
}

/** The records a dead commit changed, as its landed history rows say they became. */
function finishedRecords(
  journal: Journal,
  accepted: AcceptedState,
  landed: readonly HistoryEntry[],
  reg: LoadedRegister,
): { proposals: Proposal[]; progress: Progress[] } {
  const proposals = new Map<string, Record<string, unknown>>();
  const progress = new Map<string, Record<string, unknown>>();
  for (const id of Object.keys(journal.proposals)) {
    const p = accepted.proposals.get(id);
    if (p) proposals.set(id, { ...p });
  }
  for (const key of Object.keys(journal.progress)) {
    const r = accepted.progress.get(key);
    if (r) progress.set(key, { ...r });
  }
  // Records the commit created: as their rows were written (they had no accepted state).
  const touched = new Set(journal.touched);
  for (const p of reg.state.proposals)
    if (touched.has(p.id) && !accepted.proposals.has(p.id) && !journal.proposals[p.id])
      proposals.set(p.id, { ...p });
  for (const r of reg.state.progress) {
    const key = `${r.id}\u0000${r.department}`;
    if (touched.has(r.id) && !progress.has(key) && !journal.progress[key]) progress.set(key, { ...r });
  }
  for (const h of landed) {
    if (h.department) {
      const row = progress.get(`${h.id}\u0000${h.department}`);
      const f = PROGRESS_FIELD_OF_LABEL.get(h.field);
      if (row && f) row[f] = h.new;
    } else {
      const p = proposals.get(h.id);
      const f = PROPOSAL_FIELD_OF_LABEL.get(h.field);
      if (p && f) p[f] = f === 'fiscalYear' ? Number(h.new) || p[f] : h.new;
    }
  }
  return {
    proposals: [...proposals.values()] as unknown as Proposal[],
    progress: [...progress.values()] as unknown as Progress[],
  };
}

/** Every proposal ID whose records a draft changes or creates: the store rows a commit needs. */
function touchedIds(draft: Draft): Set<string> {
  const ids = new Set<string>(draft.updatedProposals.keys());
  for (const p of draft.newProposals) ids.add(p.id);
  for (const key of draft.updatedProgress.keys()) ids.add(key.split('\u0000')[0]!);
  for (const r of draft.newProgress) ids.add(r.id);
  return ids;
}

/** Store keys of the records a draft touched that already exist. */
function touchedKeys(draft: Draft): string[] {
  const keys: string[] = [];
  for (const id of draft.updatedProposals.keys()) keys.push(proposalStoreKey(id));
  for (const key of draft.updatedProgress.keys()) {
    const [id, department] = key.split('\u0000') as [string, string];
    keys.push(progressStoreKey(id, department));
  }
  return keys;
}

/**
 * What the store keeps after a commit: for each record the draft changed, its accepted values with
 * only the fields the draft changed taken from the draft; new records as the draft made them. A
 * value in the sheet that no check accepted yet (a hand edit waiting for its check) is never
 * sealed by someone else's save.
 */
function changedRecords(
  draft: Draft,
  accepted: AcceptedState,
): { proposals: Proposal[]; progress: Progress[] } {
  const proposals: Proposal[] = [];
  const progress: Progress[] = [];
  for (const p of draft.newProposals) proposals.push(p);
  for (const [id, fields] of draft.updatedProposals) {
    const now = draft.proposal(id)!;
    const base = accepted.proposals.get(id) ?? now;
    const merged = { ...base } as Record<string, unknown>;
    for (const f of fields) merged[f] = now[f];
    proposals.push(merged as unknown as Proposal);
  }
  for (const r of draft.newProgress) progress.push(draft.progress(r.id, r.department) ?? r);
  for (const [key, fields] of draft.updatedProgress) {
    const [id, department] = key.split('\u0000') as [string, string];
    const now = draft.progress(id, department)!;
    const base = accepted.progress.get(key) ?? now;
    const merged = { ...base } as Record<string, unknown>;
    for (const f of fields) merged[f] = now[f];
    progress.push(merged as unknown as Progress);
  }
  return { proposals, progress };
}

/**
 * Finishes or undoes a commit whose run died. Returns true when it wrote anything (the caller
 * then reads the register again). Runs under the script lock, before anything else is decided.
 */
export function repairUnfinished(ledger: Ledger, reg: LoadedRegister): boolean {
  const journal = ledger.journal;
  if (!journal) return false;
  const head = ledger.head ?? EMPTY_HEAD;
  const historySheet = ledger.sheet(SHEETS.history);
  const header = historySheet
    .getRange(1, 1, 1, Math.max(historySheet.getLastColumn(), 1))
    .getValues()[0]!
    .map((h) => String(h).trim());
  const hashCol = header.indexOf('ハッシュ') + 1;
  const lastAppended = journal.history.at + journal.history.count - 1;
  const landed =
    journal.history.count > 0 &&
    hashCol > 0 &&
    historySheet.getLastRow() >= lastAppended &&
    String(historySheet.getRange(lastAppended, hashCol).getValue()) === journal.history.last;

  if (landed) {
    // Finish: the accepted state is brought up to the commit from what it had accepted and the
    // history rows that landed (never from cells someone may have edited since), and for records
    // the commit created, from their rows as written.
    const store = ledger.store();
    const keys = [
      ...Object.keys(journal.proposals).map((id) => proposalStoreKey(id)),
      ...Object.keys(journal.progress).map((k) =>
        progressStoreKey(...(k.split('\u0000') as [string, string])),
      ),
    ];
    const accepted = acceptedRows(ledger.storeSheet(), store, ledger.seal, keys);
    const landedRows = readHistory(historySheet).filter(
      (h) => h.row >= journal.history.at && h.row <= lastAppended,
    );
    const { proposals, progress } = finishedRecords(journal, accepted, landedRows, reg);
    // The store read whole: its digest counted anew, keyed.
    const plan = planStore(
      store,
      { count: store.count, xor: store.keyed, digest: ledger.digest },
      ledger.seal,
      {
        proposals,
        progress,
      },
    );
    writeStore(ledger.storeSheet(), plan, store.lastRow);
    ledger.forgetStore();
    ledger.finish(
      {
        historyRows: head.historyRows + journal.history.count,
        historyLast: journal.history.last,
        stateRows: plan.count,
        stateXor: plan.xor,
        digest: 'keyed',
      },
      journal.issued,
    );
    return true;
  }

  // Undo: every changed cell back to its accepted value, appended rows cleared; no history.
  const accepted = ledger.accepted(reg);
  const pw = new Writes(reg.proposals.sheet, reg.proposals.textColumns());
  const gw = new Writes(reg.progress.sheet, reg.progress.textColumns());
  for (const [id, fields] of Object.entries(journal.proposals)) {
    const i = reg.proposalRow.get(id);
    const p = accepted.proposals.get(id);
    if (i === undefined || !p) continue;
    for (const f of fields as (keyof Proposal)[])
      pw.set(
        reg.proposals.rowNumber(i),
        reg.proposals.col[f]! + 1,
        cellFor(f, f === 'fiscalYear' ? shortFiscalYear(p.fiscalYear) : p[f]),
      );
  }
  for (const [key, fields] of Object.entries(journal.progress)) {
    const i = reg.progressRow.get(key);
    const r = accepted.progress.get(key);
    if (i === undefined || !r) continue;
    for (const f of fields as (keyof Progress)[])
      gw.set(reg.progress.rowNumber(i), reg.progress.col[f]! + 1, cellFor(f, r[f]));
  }
  for (const id of journal.touched) {
    const i = reg.proposalRow.get(id);
    const p = accepted.proposals.get(id);
    if (i === undefined || !p) continue;
    const rows = [...accepted.progress.values()].filter((r) => r.id === id);
    for (const [key, value] of Object.entries(displayFor(p, rows)) as [
      'departments' | 'stage' | 'decidingDepartment',
      string,
    ][])
      pw.set(reg.proposals.rowNumber(i), reg.proposals.col[key]! + 1, cellFor(key, value));
  }
  pw.flush();
  gw.flush();
  const settingsSheet = journal.settings?.length ? reg.ss.getSheetByName(SHEETS.settings) : null;
  if (settingsSheet)
    for (const w of journal.settings!)
      if (String(settingsSheet.getRange(w.row, w.col).getDisplayValue()).trim() === w.new)
        settingsSheet.getRange(w.row, w.col).setNumberFormat('@').setValue(w.old);
  clearAppended(reg.proposals.sheet, journal.appended.proposals, reg.proposals.col.id);
  clearAppended(reg.progress.sheet, journal.appended.progress, reg.progress.col.id);
  clearAppended(reg.consultations.sheet, journal.appended.consultations, reg.consultations.col.recordId);
  // The head as it now stands (the check above may have moved it to the keyed digest).
  ledger.finish(ledger.head ?? head, {});
  return true;
}

/** Rows a dead commit appended, cleared if they are still the ones it wrote (its first key in place). */
function clearAppended(
  sheet: GoogleAppsScript.Spreadsheet.Sheet,
  a: Appended | undefined,
  keyCol: number | undefined,
) {
  if (!a || keyCol === undefined || sheet.getLastRow() < a.at) return;
  if (String(sheet.getRange(a.at, keyCol + 1).getValue()) !== a.first) return;
  const width = sheet.getLastColumn();
  sheet.getRange(a.at, 1, a.count, width).clearContent();
}
