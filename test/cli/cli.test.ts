// The CLI end to end, as a person runs it: its own process, its own workbook file.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const dir = mkdtempSync(join(tmpdir(), 'cli-'));
const workbook = join(dir, 'register.xlsx');

function local(...args: string[]) {
  const r = spawnSync(
    'npx',
    ['tsx', 'local/cli.ts', ...args, '--workbook', workbook, '--now', '2025-11-25T15:00:00+09:00'],
    { encoding: 'utf8' },
  );
  return { code: r.status, out: r.stdout, err: r.stderr };
}

describe('npm run local', () => {
  it('init then dump shows the sheets setup made; init --sample loads the seed; summary prints the seed’s figures', () => {
    expect(local('init').code).toBe(0);
    const dump = local('dump', '課題一覧');
    expect(dump.code).toBe(0);
    expect(dump.out.split('\n')[0]).toBe(
      'ID,年度,種別,困りごと,目線,場面・分類,課題(提案)名,解決策,PT担当,PT連絡先,判断,判断日,終了理由,実施状況,備考,所管課,進捗,進捗の所管課',
    );
    expect(local('init', '--sample').code).toBe(0);
    const summary = local('summary', '--json', '--as-of', '2025-11-25');
    expect(summary.code).toBe(0);
    expect(JSON.parse(summary.out).progress.total).toEqual({ '1': 10, '2': 23, '3': 0, '4': 1, total: 34 });
    const nextYear = JSON.parse(local('summary', '--json', '--as-of', '2025-11-25', '--year', '2026').out);
    expect(nextYear).toMatchObject({ fiscalYear: 2026, byKind: { total: 0 } });
    const json = JSON.parse(local('dump', '所管課別進捗', '--json').out);
    expect(json.frozenRows).toBe(1);
    expect(json.cells.find((c: { a1: string }) => c.a1 === 'D2')).toMatchObject({
      type: 'date',
      display: '2025-09-04',
    });
  }, 60_000);

  it('exit codes: 1 refused by the add-on (JSON with fieldErrors), 2 bad usage', () => {
    const refused = local(
      'call',
      'apiCreateProposal',
      '{"kind":"ユーザーの困りごと"}',
      '--user',
      'pt.tanaka@example.jp',
    );
    expect(refused.code).toBe(1);
    expect(JSON.parse(refused.out)).toMatchObject({
      ok: false,
      code: 'invalid',
      fieldErrors: { title: '課題(提案)名を入力してください。' },
    });
    expect(local('frobnicate').code).toBe(2);
    const bad = join(dir, 'bad.csv');
    writeFileSync(bad, '種別,困りごと\nユーザーの困りごと,x\n');
    expect(local('import', bad).code).toBe(1);
  }, 60_000);
});
