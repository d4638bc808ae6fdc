// The public surface is typed by each server function's zod input (src/api.ts), so a wrong
// payload from a page fails the typecheck, not only the server's parse at run time.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(__dirname, '../..');
const fixtures = join(__dirname, 'fixtures');

describe('callServer payloads', () => {
  it('fail the typecheck on every line marked WRONG, and only there', () => {
    const tsc = spawnSync(join(root, 'node_modules/.bin/tsc'), ['-p', fixtures, '--pretty', 'false'], {
      encoding: 'utf8',
    });
    expect(tsc.status).not.toBe(0);
    const errorLines = new Set(
      [...tsc.stdout.matchAll(/wrong-payloads\.ts\((\d+),\d+\): error/g)].map((m) => Number(m[1])),
    );
    const wrong = readFileSync(join(fixtures, 'wrong-payloads.ts'), 'utf8')
      .split('\n')
      .flatMap((l, i) => (l.includes('// WRONG') ? [i + 1] : []));
    expect(wrong.length).toBe(6);
    expect([...errorLines].sort((a, b) => a - b)).toEqual(wrong);
  }, 60_000);
});
