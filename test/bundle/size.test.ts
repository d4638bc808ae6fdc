// What clasp pushes stays small (issue #19): each file within a budget of its measured size plus
// about 5%, and zod only in its small build (zod/mini: core, mini and the English locale), never
// the classic one that brings methods, JSON Schema and the rest (~94 KB in Code.js).
// A budget that fails is a question, not a chore: find what grew (bundleInputs lists each file's
// share) before raising it.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bundleInputs, DIST } from '../../build/bundle.mjs';

/** Bytes, measured on 2026-12-01 after the switch to zod/mini, plus ~5%. */
const BUDGETS: Record<string, number> = {
  // 233,516 with the Sheets API reads, the scoped hand-edit check and the last look before
  // writing (+10.6 KB, #19) and the packed holiday table (−5.8 KB); 222,557 after progress checks
  // (#20) and add-on mode (#21); 211,210 before
  'Code.js': 245_000,
  'Sidebar.html': 80_000, // 76,445
  'Answer.html': 17_000, // 16,174 with the progress-check page (#20)
  'Import.html': 3_400, // 3,183 with the client's 集計 refresh after a save (#19); 2,931 before
};

/** zod's part of each bundle's script, in bytes: measured plus ~5%. */
const ZOD_BUDGETS: Record<string, number> = { server: 34_600, Sidebar: 32_000 }; // 32,968; 30,472

const zodFiles = (inputs: Record<string, number>) =>
  Object.keys(inputs).filter((p) => /node_modules\/zod\//.test(p));

describe('bundle sizes', () => {
  for (const [file, budget] of Object.entries(BUDGETS)) {
    it(`dist/${file} is at most ${budget.toLocaleString('en-US')} bytes`, () => {
      expect(readFileSync(join(DIST, file)).length).toBeLessThanOrEqual(budget);
    });
  }
});

describe('zod in the bundles', () => {
  for (const [target, budget] of Object.entries(ZOD_BUDGETS)) {
    it(`${target}: only zod/mini (core, mini, locales), within ${budget.toLocaleString('en-US')} bytes`, async () => {
      const inputs = await bundleInputs(target);
      const zod = zodFiles(inputs);
      expect(zod.length).toBeGreaterThan(0);
      expect(zod.filter((p) => !/node_modules\/zod\/v4\/(core|mini|locales)\//.test(p))).toEqual([]);
      expect(zod.some((p) => /node_modules\/zod\/v4\/mini\//.test(p))).toBe(true);
      const bytes = zod.reduce((sum, p) => sum + (inputs[p] ?? 0), 0);
      expect(bytes).toBeLessThanOrEqual(budget);
    });
  }

  it('the answer page has no zod at all (src/ui/validate.ts keeps it apart)', async () => {
    expect(zodFiles(await bundleInputs('Answer'))).toEqual([]);
  });
});
