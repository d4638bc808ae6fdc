// 取込: all or nothing, each bad row reported; dates as people write them; text stays text.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SAMPLE_CSV } from '../../local/sample';
import { call, newRuntime, OWNER, ok, records, sampleRuntime, setUp } from '../helpers';

const HEADER =
  'ID,年度,種別,目線,場面・分類,困りごと,課題(提案)名,解決策,所管課,進捗,提示日,協議日,判断,判断日,終了理由,PT担当,備考';
const importCsv = (rt: ReturnType<typeof newRuntime>, csv: string) =>
  call<{ imported: number; ids: string[] }>(rt, 'apiImportCsv', { csv }, OWNER);

describe('importing a CSV', () => {
  it('round-trips the sample: every field of the seed’s list as imported, departments aligned with their stages and dates', () => {
    const rt = sampleRuntime();
    const seed = readFileSync(SAMPLE_CSV, 'utf8').trim().split('\n').slice(1);
    const rows = records(rt, '課題一覧');
    expect(rows).toHaveLength(34);
    for (const line of seed) {
      const [id, , kind, perspective, category, pain, title] = line.split(',');
      expect(rows.find((r) => r.ID === id)).toMatchObject({
        種別: kind,
        目線: perspective,
        '場面・分類': category,
        困りごと: pain,
        '課題(提案)名': title,
      });
    }
    expect(
      records(rt, '所管課別進捗')
        .filter((r) => r.ID === 'R7-U01')
        .map((r) => [r.所管課, r.段階, r.提示日, r.協議日]),
    ).toEqual([
      ['広報室', '②', '2025-09-04', '2025-11-03'],
      ['情報政策課', '①', '2025-09-04', ''],
    ]);
    const multi = new Set(
      records(rt, '所管課別進捗')
        .map((r) => r.ID)
        .filter((id, i, all) => all.indexOf(id) !== i),
    );
    expect(multi.size).toBeGreaterThanOrEqual(5);
    // Every history row of the sample is dated on or before the seed's date.
    expect(records(rt, '変更履歴').every((h) => h.効力日! <= '2025-11-25')).toBe(true);
  });

  it('reads dates as people write them and keeps an empty list entry in its place', () => {
    const rt = sampleRuntime();
    const csv = [
      '\uFEFF種別,場面・分類,困りごと,課題(提案)名,所管課,進捗,提示日,協議日',
      'ユーザーの困りごと,公共の場等,a,A,人事課、総務課,①、②,2025/10/01、R7.10.2,、令和7年10月15日',
      '職員の困りごと,両方,b,B,人事課,④,2025-10-03,',
    ].join('\r\n');
    expect(ok(importCsv(rt, csv))).toEqual({ imported: 2, ids: ['R7-U18', 'R7-S18'] });
    const p = records(rt, '所管課別進捗').filter((r) => r.ID === 'R7-U18');
    expect(p.map((r) => [r.所管課, r.段階, r.提示日, r.協議日])).toEqual([
      ['人事課', '①', '2025-10-01', ''],
      ['総務課', '②', '2025-10-02', '2025-10-15'],
    ]);
    expect(records(rt, '課題一覧').find((r) => r.ID === 'R7-S18')!.進捗).toBe('④');
  });

  it('refuses the whole file when any row is bad, reporting each row, column and reason', () => {
    const rt = sampleRuntime();
    const before = JSON.stringify(rt.workbook.sheets);
    const csv = [
      HEADER,
      'R7-U50,R7,ユーザーの困りごと,市民の目線,公共の場等,ok,良い行,,人事課,①,2025-10-01,,,,,,',
      ',R7,ユーザーの困りごと,,公共の場等,x,悪い日付,,人事課,①,2025/13/01,,,,,,',
      ',R7,職員の困りごと,,両方,y,③は判断から,,人事課,③,2025-10-01,,,,,,',
      ',R7,職員の困りごと,,両方,z,未登録の課,,存在しない課,①,2025-10-01,,,,,,',
      'R7-U01,R7,ユーザーの困りごと,,公共の場等,w,重複ID,,人事課,①,2025-10-01,,,,,,',
    ].join('\n');
    const r = importCsv(rt, csv);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(Object.keys(r.fieldErrors).sort()).toEqual(['3:提示日', '4:進捗', '5:所管課', '6:ID'].sort());
    expect(r.message).toContain('何も書き込んでいません');
    expect(JSON.stringify(rt.workbook.sheets)).toBe(before);
  });

  it('refuses unknown columns by name, and keeps "001", "2025/11/20" and "=1+1" as text', () => {
    const rt = sampleRuntime();
    expect(
      importCsv(
        rt,
        '種別,場面・分類,困りごと,課題(提案)名,担当者の趣味\nユーザーの困りごと,公共の場等,a,b,c',
      ),
    ).toMatchObject({
      ok: false,
      fieldErrors: { '1:担当者の趣味': expect.stringContaining('取り込めません') },
    });
    ok(importCsv(rt, '種別,場面・分類,困りごと,課題(提案)名,備考\n職員の困りごと,両方,001,=1+1,2025/11/20'));
    expect(records(rt, '課題一覧').find((r) => r.ID === 'R7-S18')).toMatchObject({
      困りごと: '001',
      '課題(提案)名': '=1+1',
      備考: '2025/11/20',
    });
    const sheet = rt.workbook.sheet('課題一覧')!;
    expect(sheet.cells.flat().filter((c) => c?.f)).toEqual([]);
  });

  it('never sends email, even for departments at ①', () => {
    const rt = sampleRuntime();
    expect(rt.state.outbox).toEqual([]);
  });

  it('imports 2,000 rows in one run, reporting service calls and time', () => {
    const rt = newRuntime();
    setUp(rt);
    const rows = Array.from({ length: 2000 }, (_, i) => {
      const kind = i % 2 ? '職員の困りごと' : 'ユーザーの困りごと';
      const category = i % 2 ? '業務効率に関すること' : '行政手続きの場面等';
      return `${kind},${category},困りごと${i},課題${i},,,`;
    });
    rt.calls.clear();
    const started = performance.now();
    const r = importCsv(rt, ['種別,場面・分類,困りごと,課題(提案)名,所管課,進捗,提示日', ...rows].join('\n'));
    const ms = performance.now() - started;
    expect(ok(r).imported).toBe(2000);
    const calls = [...rt.calls.values()].reduce((a, b) => a + b, 0);
    console.log(`import of 2,000 rows: ${calls} service calls, ${ms.toFixed(0)} ms in the runtime`);
    // A fixed number of calls, not one per row: the ledger (journal, sealed store, head) adds about
    // ten to the commit whatever its size, the one-request read of the register a few more
    // (each sheet's name and size, answered without a round trip).
    expect(calls).toBeLessThan(150);
    expect(records(rt, '課題一覧')).toHaveLength(2000);
    expect(rt.workbook.sheet('台帳状態')!.lastRow()).toBe(2001);
  });
});
