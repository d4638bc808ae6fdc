// The CLI end to end, as a person runs it: its own process, its own workbook file.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const dir = mkdtempSync(join(tmpdir(), 'cli-'));
const workbook = join(dir, 'register.xlsx');

function local(...args: string[]) {
  return localAt(workbook, ...args);
}

function localAt(file: string, ...args: string[]) {
  const r = spawnSync(
    'npx',
    ['tsx', 'local/cli.ts', ...args, '--workbook', file, '--now', '2025-11-25T15:00:00+09:00'],
    { encoding: 'utf8' },
  );
  return { code: r.status, out: r.stdout, err: r.stderr };
}

function localNow(now: string, ...args: string[]) {
  const file = join(dir, 'published.xlsx');
  const r = spawnSync('npx', ['tsx', 'local/cli.ts', ...args, '--workbook', file, '--now', now], {
    encoding: 'utf8',
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

describe('npm run local: a published report', () => {
  it('call apiPublishReport writes 報告 R7.11.25; a backdated consultation later is listed in summary --json', () => {
    expect(localNow('2025-11-25T15:00:00+09:00', 'init', '--sample').code).toBe(0);
    const pub = localNow('2025-11-28T10:00:00+09:00', 'call', 'apiPublishReport', '{"asOf":"2025-11-25"}');
    expect(pub.code).toBe(0);
    expect(JSON.parse(pub.out)).toMatchObject({ sheet: '報告 R7.11.25', asOf: '2025-11-25' });
    const sheet = localNow('2025-11-28T10:00:00+09:00', 'dump', '報告 R7.11.25').out;
    const version = JSON.parse(
      localNow('2025-11-28T11:00:00+09:00', 'call', 'apiGetProposal', '{"id":"R7-S02"}').out,
    ).version;
    const consult = localNow(
      '2025-11-28T11:00:00+09:00',
      'call',
      'apiRecordConsultation',
      JSON.stringify({ id: 'R7-S02', version, department: '契約課', date: 'R7.11.20', summary: '押印廃止' }),
    );
    expect(consult.code).toBe(0);
    expect(localNow('2025-11-28T11:00:00+09:00', 'dump', '報告 R7.11.25').out).toBe(sheet);
    const s = JSON.parse(
      localNow('2025-11-28T12:00:00+09:00', 'summary', '--as-of', '2025-11-25', '--json').out,
    );
    expect(s.progress.staff).toMatchObject({ '1': 4, '2': 13 });
    expect(s.published.progress.staff).toMatchObject({ '1': 5, '2': 12 });
    expect(s.changesSincePublished).toMatchObject([
      { id: 'R7-S02', department: '契約課', field: '段階', from: '①', to: '②', effective: '2025-11-20' },
    ]);
    // Without --json, the as-of view is printed, and 集計 is not what it prints.
    const printed = localNow('2025-11-28T12:00:00+09:00', 'summary', '--as-of', '2025-11-25').out;
    expect(printed).toContain('※ 11/25時点の報告後に訂正 1件');
  }, 90_000);
});

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

  it('a run that dies (--fail-mail-after) keeps what it wrote and sent before dying (exit 3)', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'cli-die-')), 'register.xlsx');
    const pt = ['--user', 'pt.tanaka@example.jp'];
    expect(localAt(file, 'init', '--sample').code).toBe(0);
    const created = localAt(
      file,
      'call',
      'apiCreateProposal',
      JSON.stringify({
        kind: 'ユーザーの困りごと',
        perspective: '市民の目線',
        category: '行政手続きの場面等',
        painPoint: '転入届の待ち時間が長い',
        title: '転入手続きの事前予約',
        solution: 'オンラインで来庁予約',
        ptContact: 'pt.tanaka@example.jp',
        departments: ['市民課', '区政推進課'],
      }),
      ...pt,
    );
    expect(created.code).toBe(0);
    const id = JSON.parse(created.out).proposal.id as string;
    const { version } = JSON.parse(
      localAt(file, 'call', 'apiGetProposal', JSON.stringify({ id }), ...pt).out,
    );
    const died = localAt(
      file,
      'call',
      'apiPresent',
      JSON.stringify({ id, version, departments: ['市民課', '区政推進課'], effectiveDate: '2025-11-20' }),
      '--fail-mail-after',
      '1',
      ...pt,
    );
    expect(died.code).toBe(3);
    expect(died.err).toMatch(/Exceeded maximum execution time/);
    // The one email sent and the rows written before the run died are in the saved register.
    expect(JSON.parse(localAt(file, 'outbox', '--json').out)).toHaveLength(1);
    const log = JSON.parse(localAt(file, 'dump', '送信記録', '--json').out) as {
      cells: { a1: string; display: string }[];
    };
    const states = log.cells.map((c) => c.display);
    expect(states).toContain('送信済');
    expect(states).toContain('送信中');
  }, 120_000);
});

describe("npm run local -- web 'QUERY'", () => {
  it('runs doGet with the query as a web request and prints the page: the answer page, a department’s inbox, a refusal', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'cli-web-')), 'register.xlsx');
    expect(localAt(file, 'init', '--sample').code).toBe(0);
    const pt = ['--user', 'pt.tanaka@example.jp'];
    const { version } = JSON.parse(localAt(file, 'call', 'apiGetProposal', '{"id":"R7-U03"}', ...pt).out);
    const presented = localAt(
      file,
      'call',
      'apiPresent',
      JSON.stringify({ id: 'R7-U03', version, departments: ['保護課'] }),
      ...pt,
    );
    expect(presented.code).toBe(0);
    const [mail] = JSON.parse(localAt(file, 'outbox', '--json').out) as { links: string[] }[];
    const request = mail!.links.find((l) => l.includes('?t='))!;
    const inbox = mail!.links.find((l) => l.includes('?i='))!;
    const data = (html: string) =>
      JSON.parse(/<script id="data" type="application\/json">(.*?)<\/script>/s.exec(html)![1]!);
    // A whole link or just its query string.
    const answer = localAt(file, 'web', request, '--user', 'hogo.staff@example.jp');
    expect(answer.code).toBe(0);
    expect(answer.out).toContain('<html');
    expect(data(answer.out)).toMatchObject({ ok: true, id: 'R7-U03', department: '保護課' });
    const list = localAt(file, 'web', inbox.split('?')[1]!);
    expect(data(list.out)).toMatchObject({
      ok: true,
      inbox: true,
      department: '保護課',
      items: [{ id: 'R7-U03' }],
    });
    const altered = localAt(
      file,
      'web',
      inbox.replace(/.$/, (c) => (c === 'A' ? 'B' : 'A')),
    );
    expect(data(altered.out)).toMatchObject({ ok: false, inbox: true });
    expect(localAt(file, 'web').code).toBe(2);
  }, 90_000);
});
