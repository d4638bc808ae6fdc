// A careless PT editor meeting 設定-driven lists and the directory: a status typed over 設定's
// whole list (meant for 課題一覧), a department's address changed. Nothing the register recorded is
// lost or rewritten, and what changes who receives mail is in 変更履歴.
import { describe, expect, it } from 'vitest';
import type { Runtime } from '../../local/runtime/runtime';
import { call, cellAt, cellRef, edit, newProposal, OWNER, ok, PT, records, sampleRuntime } from '../helpers';

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

  it('a department’s address (where requests and progress links go) changes only by the secretariat, with history', () => {
    const rt = sampleRuntime();
    const rows = records(rt, '所管課');
    const header = Object.keys(rows[0]!);
    const at = rows.findIndex((d) => d.所管課 === '保護課');
    const ref = `所管課!${String.fromCharCode(65 + header.indexOf('メールアドレス'))}${at + 2}`;
    const old = rows[at]!.メールアドレス!;
    // A PT member typing their own address there could answer as the department: put back, reported.
    edit(rt, ref, 'pt.tanaka@example.jp', PT);
    expect(records(rt, '所管課')[at]!.メールアドレス).toBe(old);
    expect(
      records(rt, '変更履歴').filter(
        (h) => h.項目 === '所管課:メールアドレス' && h.新値 === 'pt.tanaka@example.jp',
      ),
    ).toEqual([]);
    expect(rt.state.outbox.at(-1)!.body).toContain(
      `所管課「保護課」のメールアドレス: ${PT} が「pt.tanaka@example.jp」に変更したため`,
    );
    const id = newProposal(rt, { departments: ['保護課'] });
    ok(call(rt, 'apiPresent', { id, version: version(rt, id), departments: ['保護課'] }));
    expect(rt.state.outbox.at(-1)!.to).toBe(old);
    // The secretariat's change is accepted, logged, and mail follows it.
    edit(rt, ref, 'hogo-2@example.jp', OWNER);
    const logged = records(rt, '変更履歴').filter((h) => h.旧値 === old && h.新値 === 'hogo-2@example.jp');
    expect(logged).toEqual([expect.objectContaining({ 利用者: OWNER, 所管課: '保護課' })]);
    const next = newProposal(rt, { departments: ['保護課'] });
    ok(call(rt, 'apiPresent', { id: next, version: version(rt, next), departments: ['保護課'] }));
    expect(rt.state.outbox.at(-1)!.to).toBe('hogo-2@example.jp');
  });
});
