// 台帳状態's digest, kept in the head beside the secret, is keyed (src/domain/seal.ts digester): the
// XOR over the store's rows of a keyed hash of each row's ID and seal. A register whose head holds
// the older digest (the seals' plain XOR) moves to the keyed one at the next check of the whole
// store, silently when the store is as that head says.
import { describe, expect, it } from 'vitest';
import type { Runtime } from '../../local/runtime/runtime';
import { xorSeal } from '../../src/domain/seal';
import { cellRef, edit, OWNER, registerProps, sampleRuntime } from '../helpers';

const SEAL_ZERO = '0'.repeat(32);

/** The seals' plain XOR and the row count, as a head written before the keyed digest holds them. */
function plainDigest(rt: Runtime) {
  const store = rt.workbook.sheet('台帳状態')!;
  let xor = SEAL_ZERO;
  let count = 0;
  for (let r = 1; r < store.lastRow(); r++) {
    const seal = String(store.cell(r, 17)?.v ?? '');
    if (!store.cells[r]?.some((c) => c && c.v !== '')) continue;
    count++;
    if (/^[0-9a-f]{32}$/.test(seal)) xor = xorSeal(xor, seal);
  }
  return { xor, count };
}

/** The secretariat was mailed that 台帳状態 was changed by hand. */
const reportedTampering = (rt: Runtime) =>
  rt.state.outbox.some((m) => m.to === OWNER && m.body.includes('台帳状態シートが手で変更されています'));
const head = (rt: Runtime) => JSON.parse(registerProps(rt).LEDGER_HEAD!);
const storeRead = (rt: Runtime) => rt.calls.get('Sheets.Spreadsheets.Values.batchGet') ?? 0;

describe('the store’s digest', () => {
  it('is keyed: not the seals’ XOR, and marked so in the head', () => {
    const rt = sampleRuntime();
    const { xor, count } = plainDigest(rt);
    expect(head(rt)).toMatchObject({ digest: 'keyed', stateRows: count });
    expect(head(rt).stateXor).not.toBe(xor);
  });

  it('of a head from before moves to the keyed one at the next whole check, with nothing reported', () => {
    const rt = sampleRuntime();
    const { xor } = plainDigest(rt);
    const old = { ...head(rt), stateXor: xor };
    delete old.digest;
    registerProps(rt).LEDGER_HEAD = JSON.stringify(old);
    const keyed = sampleRuntime();
    const before = storeRead(rt);
    edit(rt, cellRef(rt, '課題一覧', '備考', 'R7-U10'), '手で書いた備考');
    // The whole check ran (台帳状態 read whole, in one request with the register) …
    expect(storeRead(rt) - before).toBeGreaterThan(0);
    const moved = head(rt);
    expect(moved.digest).toBe('keyed');
    // … found the store as the old head said, reported nothing, and counted the same keyed digest
    // as a register that had it from the start (the edit's commit updated both alike).
    expect(reportedTampering(rt)).toBe(false);
    edit(keyed, cellRef(keyed, '課題一覧', '備考', 'R7-U10'), '手で書いた備考');
    expect(moved.stateXor).toBe(head(keyed).stateXor);
    expect(moved.stateRows).toBe(head(keyed).stateRows);
  });

  it('of a head from before that the store does not match is reported and the store rebuilt, keyed', () => {
    const rt = sampleRuntime();
    const old = { ...head(rt), stateXor: SEAL_ZERO };
    delete old.digest;
    registerProps(rt).LEDGER_HEAD = JSON.stringify(old);
    edit(rt, cellRef(rt, '課題一覧', '備考', 'R7-U10'), '手で書いた備考');
    expect(head(rt).digest).toBe('keyed');
    expect(head(rt).stateXor).not.toBe(SEAL_ZERO);
    expect(reportedTampering(rt)).toBe(true);
  });
});
