// A careless PT editor meeting 設定-driven lists and the directory: a status typed over 設定's
// whole list (meant for 課題一覧), a department's address changed. Nothing the register recorded is
// lost or rewritten, and what changes who receives mail is in 変更履歴.
import { describe, expect, it } from 'vitest';
import type { Runtime } from '../../local/runtime/runtime';
import { call, cellAt, cellRef, edit, OWNER, ok, PT, records, sampleRuntime } from '../helpers';

const version = (rt: Runtime, id: string) =>
  ok(call<{ version: string }>(rt, 'apiGetProposal', { id })).version;
const settingRef = (rt: Runtime, key: string) => {
  const rows = records(rt, '設定');
  const header = Object.keys(rows[0]!);
  return `設定!${String.fromCharCode(65 + header.indexOf('値'))}${rows.findIndex((r) => r.項目 === key) + 2}`;
};

describe('a careless PT editor', () => {
  it('typing one 実施状況 over 設定’s whole list rewrites no proposal, and 集計 still counts each value', () => {
    const rt = sampleRuntime();
    ok(call(rt, 'apiRecordJudgment', { id: 'R7-U01', version: version(rt, 'R7-U01'), judgment: '検討継続' }));
    ok(
      call(rt, 'apiUpdateProposal', {
        id: 'R7-U01',
        version: version(rt, 'R7-U01'),
        fields: { implementation: '予算化検討中' },
      }),
    );
    const before = records(rt, '課題一覧');
    const history = records(rt, '変更履歴').length;
    edit(rt, settingRef(rt, '実施状況'), '実施中', PT);
    expect(records(rt, '課題一覧')).toEqual(before);
    expect(records(rt, '変更履歴')).toHaveLength(history);
    const summary = ok(call<{ implementation: Record<string, number> }>(rt, 'apiRebuildSummary', {}, OWNER));
    expect(summary.implementation).toMatchObject({ 実施中: 0, 予算化検討中: 1 });
    // The dropdown now offers the one value; the kept value is not flagged when the row is edited.
    const ref = cellRef(rt, '課題一覧', '実施状況', 'R7-U01');
    expect(cellAt(rt, ref).validation?.values).toEqual(['実施中']);
    edit(rt, cellRef(rt, '課題一覧', '備考', 'R7-U01'), 'メモ');
    expect(records(rt, '課題一覧').find((r) => r.ID === 'R7-U01')!.実施状況).toBe('予算化検討中');
  });

  it('a department’s address changed in 所管課 (where requests and progress links go) is in 変更履歴', () => {
    const rt = sampleRuntime();
    const rows = records(rt, '所管課');
    const header = Object.keys(rows[0]!);
    const at = rows.findIndex((d) => d.所管課 === '保護課');
    const ref = `所管課!${String.fromCharCode(65 + header.indexOf('メールアドレス'))}${at + 2}`;
    const old = rows[at]!.メールアドレス!;
    edit(rt, ref, 'pt.tanaka@example.jp', PT);
    const logged = records(rt, '変更履歴').filter((h) => h.旧値 === old && h.新値 === 'pt.tanaka@example.jp');
    expect(logged).toEqual([expect.objectContaining({ 利用者: PT, 所管課: '保護課' })]);
  });
});
