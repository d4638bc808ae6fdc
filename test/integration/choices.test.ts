// 設定's lists (目線, 場面・分類, 終了理由, 実施状況) are the one source for every path: the sidebar,
// a typed cell, an import, the dropdowns and 集計 (issue #18, item 1).
import { describe, expect, it } from 'vitest';
import type { Runtime } from '../../local/runtime/runtime';
import { call, cellAt, cellRef, edit, OWNER, ok, records, sampleRuntime } from '../helpers';

type View = { version: string };
const version = (rt: Runtime, id: string) => ok(call<View>(rt, 'apiGetProposal', { id })).version;
const settingRef = (rt: Runtime, key: string) => {
  const rows = records(rt, '設定');
  const at = rows.findIndex((r) => r.項目 === key);
  const header = Object.keys(rows[0]!);
  return `設定!${String.fromCharCode(65 + header.indexOf('値'))}${at + 2}`;
};
const setting = (rt: Runtime, key: string) => records(rt, '設定').find((r) => r.項目 === key)!.値!;
const proposal = (rt: Runtime, id: string) => records(rt, '課題一覧').find((r) => r.ID === id)!;
const dropdown = (rt: Runtime, header: string, id: string) =>
  cellAt(rt, cellRef(rt, '課題一覧', header, id)).validation?.values ?? [];

describe('a value added to a 設定 list', () => {
  it('is accepted alike by the sidebar, a typed cell, an import, the dropdown and 集計', () => {
    const rt = sampleRuntime();
    edit(rt, settingRef(rt, '目線'), `${setting(rt, '目線')}、高齢者の目線`, OWNER);
    edit(rt, settingRef(rt, '場面・分類(ユーザー)'), `${setting(rt, '場面・分類(ユーザー)')}、窓口`, OWNER);

    // The sidebar (the bug of issue #18: this was saved, but the same value typed was put back).
    ok(
      call(rt, 'apiUpdateProposal', {
        id: 'R7-U01',
        version: version(rt, 'R7-U01'),
        fields: { perspective: '高齢者の目線' },
      }),
    );
    expect(proposal(rt, 'R7-U01').目線).toBe('高齢者の目線');

    // Typed into the sheet.
    const typed = cellRef(rt, '課題一覧', '目線', 'R7-U02');
    edit(rt, typed, '高齢者の目線');
    expect(cellAt(rt, typed).v).toBe('高齢者の目線');
    expect(cellAt(rt, typed).note ?? '').toBe('');
    const logged = records(rt, '変更履歴').filter((h) => h.ID === 'R7-U02' && h.項目 === '目線');
    expect(logged.map((h) => [h.新値, h.経路])).toContainEqual(['高齢者の目線', '直接編集']);
    edit(rt, cellRef(rt, '課題一覧', '場面・分類', 'R7-U03'), '窓口');
    expect(proposal(rt, 'R7-U03')['場面・分類']).toBe('窓口');

    // The dropdowns follow 設定 at once.
    expect(dropdown(rt, '目線', 'R7-U05')).toContain('高齢者の目線');
    expect(dropdown(rt, '場面・分類', 'R7-U05')).toContain('窓口');

    // An import.
    const head =
      'ID,年度,種別,目線,場面・分類,困りごと,課題(提案)名,解決策,所管課,進捗,提示日,協議日,判断,判断日,終了理由,PT担当,備考';
    const csv = `${head}\n,,ユーザーの困りごと,高齢者の目線,窓口,段差が多い,庁舎の段差解消,,,,,,,,,,`;
    ok(call(rt, 'apiImportCsv', { csv }, OWNER));

    // 集計 counts the new 場面・分類 in a row of its own.
    const summary = ok(
      call<{ categories: { user: Record<string, number> } }>(rt, 'apiRebuildSummary', {}, OWNER),
    );
    expect(summary.categories.user.窓口).toBe(2);
  });
});

describe('a value removed from a 設定 list', () => {
  it('is refused when typed or saved anew, but stays on the proposals that have it', () => {
    const rt = sampleRuntime();
    const owner = records(rt, '課題一覧').find((p) => p.目線 === '社会状況')!;
    edit(rt, settingRef(rt, '目線'), '市民の目線、子育て世代の目線、民間事業者の目線', OWNER);
    expect(dropdown(rt, '目線', owner.ID!)).not.toContain('社会状況');

    const typed = cellRef(rt, '課題一覧', '目線', 'R7-U01');
    const before = cellAt(rt, typed).v;
    edit(rt, typed, '社会状況');
    expect(cellAt(rt, typed)).toMatchObject({
      v: before,
      note: expect.stringContaining('目線は「市民の目線」'),
    });

    const refused = call(rt, 'apiUpdateProposal', {
      id: 'R7-U01',
      version: version(rt, 'R7-U01'),
      fields: { perspective: '社会状況' },
    });
    expect(refused).toMatchObject({
      ok: false,
      fieldErrors: { perspective: expect.stringContaining('設定の一覧') },
    });

    // Another field of a proposal that keeps the removed value still saves.
    ok(
      call(rt, 'apiUpdateProposal', {
        id: owner.ID,
        version: version(rt, owner.ID!),
        fields: { notes: 'メモ' },
      }),
    );
    expect(proposal(rt, owner.ID!).目線).toBe('社会状況');
  });
});
