// `npm run local -- … --mode addon`: the CLI runs the Editor add-on's bundle (dist-addon/) as an
// add-on would, and a workbook keeps the mode it was set up in.
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const dir = mkdtempSync(join(tmpdir(), 'cli-addon-'));

function local(file: string, ...args: string[]) {
  const r = spawnSync(
    'npx',
    ['tsx', 'local/cli.ts', ...args, '--workbook', join(dir, file), '--now', '2025-11-25T15:00:00+09:00'],
    { encoding: 'utf8' },
  );
  return { code: r.status, out: r.stdout, err: r.stderr };
}

describe('npm run local -- --mode addon', () => {
  it('opens in AuthMode.NONE before setup, LIMITED after; setup makes the hourly trigger, not the 10-minute one', () => {
    const before = local('a.xlsx', 'open', '--mode', 'addon', '--user', 'pt.tanaka@example.jp');
    expect(before.code).toBe(0);
    expect(JSON.parse(before.out)).toMatchObject({ authMode: 'NONE', menus: [{ kind: 'menu' }] });
    expect(local('a.xlsx', 'init', '--sample', '--mode', 'addon').code).toBe(0);
    // Later verbs need no --mode: the workbook is an add-on's.
    expect(JSON.parse(local('a.xlsx', 'open', '--user', 'pt.tanaka@example.jp').out)).toMatchObject({
      authMode: 'LIMITED',
    });
    expect(local('a.xlsx', 'trigger', 'onHourly').code).toBe(0);
    const ten = local('a.xlsx', 'trigger', 'onTenMinutes');
    expect([ten.code, ten.err]).toEqual([2, 'No installable trigger runs onTenMinutes\n']);
    const bound = local('a.xlsx', 'dump', '設定', '--mode', 'bound');
    expect(bound.code).toBe(3);
    expect(bound.err).toContain('was set up in addon mode');
  }, 180_000);
});
