// Which record each row of 課題一覧 or 所管課別進捗 is. Identity is the ID (and department), never
// the row; but the ID cell is itself a cell people paste, fill and sort. A row whose other cells
// are exactly those of another accepted record is that record with a wrong key (a pasted or
// sorted key column); otherwise its key says who it is. Each accepted record has at most one row:
// a second claimant is a duplicate, a key nobody accepted is unknown, and an accepted record
// with no row was deleted.

export interface KeyedRow {
  /** Sheet row (1-based). */
  row: number;
  /** The key as its cells say (ID, or ID + department). */
  key: string;
  /** Everything else the add-on keeps of the row, joined: equal fingerprints, same record. */
  fingerprint: string;
  /** The row lies outside what the edit being checked touched: it keeps its key first. */
  settled: boolean;
}

export interface AcceptedKey {
  key: string;
  fingerprint: string;
}

export interface Identity {
  /** Accepted key of each row that is a record, by sheet row. */
  byRow: Map<number, string>;
  /** Rows whose key cells must go back to their record's key. */
  keyFixes: { row: number; from: string; to: string }[];
  /** Rows that are no accepted record (duplicates, unknown keys). */
  extras: { row: number; key: string; why: 'duplicate' | 'unknown' }[];
  /** Accepted records with no row. */
  missing: string[];
}

/**
 * `related(a, b)` says whether a row keyed `a` may be record `b` with part of its key changed
 * (for 所管課別進捗: the same ID or the same department); proposals pass () => true.
 * `isNew(key)` says whether an unaccepted key is one people may add by hand (a department row
 * for a known proposal): such a row is left to the edit check instead of being an extra.
 */
export function settleIdentity(
  rows: readonly KeyedRow[],
  accepted: ReadonlyMap<string, AcceptedKey>,
  related: (rowKey: string, acceptedKey: string) => boolean,
  isNew: (key: string) => boolean = () => false,
): Identity {
  const byFingerprint = new Map<string, string[]>();
  for (const a of accepted.values()) {
    const list = byFingerprint.get(a.fingerprint);
    if (list) list.push(a.key);
    else byFingerprint.set(a.fingerprint, [a.key]);
  }
  const claimed = new Set<string>();
  const byRow = new Map<number, string>();
  const identity: Identity = { byRow, keyFixes: [], extras: [], missing: [] };
  const claim = (r: KeyedRow, key: string) => {
    claimed.add(key);
    byRow.set(r.row, key);
    if (key !== r.key) identity.keyFixes.push({ row: r.row, from: r.key, to: key });
  };

  // Strong claims first (fingerprint equal), rows outside the edit before rows inside it, then the
  // weak ones (key accepted, fields since edited); what is left is a duplicate or unknown.
  const strong = (r: KeyedRow): string | null => {
    const own = accepted.get(r.key);
    if (own && own.fingerprint === r.fingerprint) return r.key;
    const same = byFingerprint.get(r.fingerprint) ?? [];
    return same.find((k) => !claimed.has(k) && k !== r.key && related(r.key, k)) ?? null;
  };
  const pending: KeyedRow[] = [];
  for (const pass of [true, false]) {
    for (const r of rows) {
      if (r.settled !== pass) continue;
      const key = strong(r);
      if (key && !claimed.has(key)) claim(r, key);
      else pending.push(r);
    }
  }
  const added = new Set<string>();
  for (const r of pending.sort((a, b) => Number(b.settled) - Number(a.settled) || a.row - b.row)) {
    if (accepted.has(r.key) && !claimed.has(r.key)) claim(r, r.key);
    else if (accepted.has(r.key) || added.has(r.key))
      identity.extras.push({ row: r.row, key: r.key, why: 'duplicate' });
    else if (isNew(r.key)) added.add(r.key);
    else identity.extras.push({ row: r.row, key: r.key, why: 'unknown' });
  }
  for (const key of accepted.keys()) if (!claimed.has(key)) identity.missing.push(key);
  return identity;
}
