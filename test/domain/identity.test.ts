// Row identity (the pure part): which accepted record each row is, when keys were pasted, sorted, duplicated or deleted.
import { describe, expect, it } from 'vitest';
import { type AcceptedKey, type KeyedRow, settleIdentity } from '../../src/domain/identity';

const acc = (pairs: [string, string][]) =>
  new Map<string, AcceptedKey>(pairs.map(([key, fingerprint]) => [key, { key, fingerprint }]));
const row = (r: number, key: string, fingerprint: string, settled = false): KeyedRow => ({
  row: r,
  key,
  fingerprint,
  settled,
});
const any = () => true;

describe('row identity', () => {
  const accepted = acc([
    ['U01', 'a'],
    ['U02', 'b'],
    ['U03', 'c'],
  ]);

  it('keeps rows whose key and fields agree, and fields edited under their own key', () => {
    const id = settleIdentity(
      [row(2, 'U01', 'a'), row(3, 'U02', 'b-edited'), row(4, 'U03', 'c')],
      accepted,
      any,
    );
    expect(id.keyFixes).toEqual([]);
    expect(id.extras).toEqual([]);
    expect(id.missing).toEqual([]);
    expect([...id.byRow]).toEqual([
      [2, 'U01'],
      [4, 'U03'],
      [3, 'U02'],
    ]);
  });

  it('puts back swapped IDs: the fields say which record a row is', () => {
    const id = settleIdentity(
      [row(2, 'U02', 'a'), row(3, 'U01', 'b'), row(4, 'U03', 'c', true)],
      accepted,
      any,
    );
    expect(id.keyFixes).toEqual([
      { row: 2, from: 'U02', to: 'U01' },
      { row: 3, from: 'U01', to: 'U02' },
    ]);
    expect(id.missing).toEqual([]);
  });

  it('puts back a whole ID column sorted on its own', () => {
    const rows = [row(2, 'U03', 'a'), row(3, 'U02', 'b'), row(4, 'U01', 'c')];
    const id = settleIdentity(rows, accepted, any);
    expect(id.keyFixes.map((f) => f.to)).toEqual(['U01', 'U03']);
    expect(id.byRow.get(4)).toBe('U03');
  });

  it('finds duplicates (the row outside the edit keeps the key) and unknown keys, and deleted records', () => {
    const id = settleIdentity(
      [row(2, 'U01', 'a', true), row(3, 'U01', 'a'), row(4, 'U99', 'z')],
      acc([
        ['U01', 'a'],
        ['U02', 'b'],
      ]),
      any,
    );
    expect(id.byRow.get(2)).toBe('U01');
    expect(id.extras).toEqual([
      { row: 3, key: 'U01', why: 'duplicate' },
      { row: 4, key: 'U99', why: 'unknown' },
    ]);
    expect(id.missing).toEqual(['U02']);
  });

  it('moves a department cell back only to a related key; a new department row is left to the edit check', () => {
    const progress = acc([
      ['U01|A', '①'],
      ['U01|B', '②'],
    ]);
    const related = (a: string, b: string) =>
      a.split('|')[0] === b.split('|')[0] || a.split('|')[1] === b.split('|')[1];
    const swapped = settleIdentity([row(2, 'U01|B', '①'), row(3, 'U01|A', '②')], progress, related);
    expect(swapped.keyFixes).toEqual([
      { row: 2, from: 'U01|B', to: 'U01|A' },
      { row: 3, from: 'U01|A', to: 'U01|B' },
    ]);
    const added = settleIdentity(
      [row(2, 'U01|A', '①'), row(3, 'U01|B', '②'), row(4, 'U01|C', ''), row(5, 'U01|C', '')],
      progress,
      related,
      (k) => k === 'U01|C',
    );
    expect(added.extras).toEqual([{ row: 5, key: 'U01|C', why: 'duplicate' }]);
  });
});
