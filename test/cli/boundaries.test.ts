// Boundaries through the CLI, as a person runs it: a refused save exits 1 with the field named and
// writes nothing; nothing a caller sends makes it crash (exit 3).
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const dir = mkdtempSync(join(tmpdir(), 'cli-bounds-'));
const workbook = join(dir, 'register.xlsx');
const PT = 'pt.tanaka@example.jp';

function local(...args: string[]) {
  const r = spawnSync(
    'npx',
    ['tsx', 'local/cli.ts', ...args, '--workbook', workbook, '--now', '2025-11-25T15:00:00+09:00'],
    { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 },
  );
  return { code: r.status, out: r.stdout, err: r.stderr };
}

const call = (fn: string, payload: unknown, user = PT) =>
  local('call', fn, JSON.stringify(payload), '--user', user);

describe('npm run local: bounds refused with exit 1, never a crash', () => {
  it('効力日 R0.1.1 / 0100-01-01 / tomorrow, a 50,001-character text and a rebuild without a role exit 1 and write nothing', () => {
    expect(local('init', '--sample').code).toBe(0);
    const created = call('apiCreateProposal', {
      kind: 'ユーザーの困りごと',
      painPoint: '粗大ごみの申込みが電話だけ',
      category: '行政手続きの場面等',
      title: '粗大ごみ受付のオンライン化',
      departments: ['環境政策課'],
    });
    expect(created.code).toBe(0);
    const id = JSON.parse(created.out).proposal.id as string;
    const mailBefore = local('dump', '送信記録').out;
    const registerBefore = local('dump', '所管課別進捗').out;
    for (const effectiveDate of ['R0.1.1', '0100-01-01', '2025-11-26']) {
      const r = call('apiPresent', { id, departments: ['環境政策課'], effectiveDate });
      expect(r.code, `${effectiveDate}: ${r.err}`).toBe(1);
      expect(JSON.parse(r.out)).toMatchObject({
        ok: false,
        code: 'invalid',
        fieldErrors: { effectiveDate: expect.stringMatching(/^効力日/) },
      });
    }
    expect(local('dump', '送信記録').out).toBe(mailBefore);
    expect(local('dump', '所管課別進捗').out).toBe(registerBefore);

    const long = call('apiCreateProposal', {
      kind: 'ユーザーの困りごと',
      painPoint: `=${'x'.repeat(49_999)}`,
      category: '行政手続きの場面等',
      title: '長い困りごと',
    });
    expect(long.code).toBe(1);
    expect(JSON.parse(long.out).fieldErrors.painPoint).toMatch(/^困りごとは50,000文字以内/);
    expect(local('dump', '課題一覧').out).not.toContain('長い困りごと');

    const rebuild = call('apiRebuildSummary', { fiscalYear: 2100 }, 'someone@example.jp');
    expect(rebuild.code).toBe(1);
    expect(JSON.parse(rebuild.out)).toMatchObject({ ok: false, code: 'forbidden' });
    expect(local('dump', '集計').out.split('\n')[0]).toContain('令和7年度');
  }, 120_000);
});
