// Hand edits in the shared sheet, through the installable onEdit/onChange as in Sheets.
import { describe, expect, it } from 'vitest';
import { changeRows, sortSheet, typeInto } from '../../local/runtime/people';
import type { Runtime } from '../../local/runtime/runtime';
import {
  call,
  cellAt,
  cellRef,
  edit,
  OUTSIDER,
  OWNER,
  ok,
  PT,
  records,
  registerProps,
  sampleRuntime,
  sheetValues,
  tick,
} from '../helpers';

const stageRef = (rt: Runtime, id: string, dept: string) => cellRef(rt, '所管課別進捗', '段階', id, dept);
const progressOf = (rt: Runtime, id: string, dept: string) =>
  records(rt, '所管課別進捗').find((r) => r.ID === id && r.所管課 === dept)!;
const proposal = (rt: Runtime, id: string) => records(rt, '課題一覧').find((r) => r.ID === id)!;

describe('a stage typed by hand in 所管課別進捗', () => {
  it('is applied when the table allows it: ① → ② with dates, display and history (直接編集)', () => {
    const rt = sampleRuntime();
    edit(rt, stageRef(rt, 'R7-U03', '保護課'), '②');
    expect(progressOf(rt, 'R7-U03', '保護課')).toMatchObject({ 段階: '②', 協議日: '2025-11-25' });
    expect(proposal(rt, 'R7-U03').進捗).toBe('②');
    const h = records(rt, '変更履歴').filter((r) => r.ID === 'R7-U03' && r.経路 === '直接編集');
    expect(h.map((r) => [r.項目, r.旧値, r.新値, r.利用者])).toContainEqual(['段階', '①', '②', PT]);
    expect(rt.state.outbox).toEqual([]);
  });

  it('is put back with a note and a toast when it moves backwards or is not a stage', () => {
    const rt = sampleRuntime();
    const ref = stageRef(rt, 'R7-U01', '広報室');
    const before = rt.uiLog.length;
    edit(rt, ref, '①');
    expect(cellAt(rt, ref)).toMatchObject({
      v: '②',
      note: expect.stringContaining('事務局がサイドバーから理由を付けて'),
    });
    expect(rt.uiLog.slice(before).find((u) => u.kind === 'toast')).toMatchObject({
      title: '入力を元に戻しました',
    });
    edit(rt, ref, '③');
    // The note lists what the cell accepts from where it stands.
    expect(cellAt(rt, ref)).toMatchObject({
      v: '②',
      note: expect.stringContaining(
        '段階に「③」は入力できません(段階は 未提示・①・②・④ のいずれかです)。「②」から入力できるのは 「④」 です。',
      ),
    });
    expect(records(rt, '変更履歴').filter((r) => r.経路 === '直接編集' && r.ID === 'R7-U01')).toEqual([]);
    // A later accepted value replaces the refusal's note with what it recorded, and when.
    edit(rt, ref, '④');
    expect(cellAt(rt, ref).v).toBe('④');
    expect(cellAt(rt, ref).note).toBe(
      '【プラチナ提案台帳】「④」を効力日 R7.11.25(今日)として記録しました(対応済日も R7.11.25)。日付が違うときは、事務局に訂正を依頼してください。',
    );
  });

  it('records that Sheets gave no user when e.user is blank', () => {
    const rt = sampleRuntime();
    edit(rt, stageRef(rt, 'R7-S02', '契約課'), '②', PT, false);
    expect(
      records(rt, '変更履歴').find((r) => r.ID === 'R7-S02' && r.項目 === '段階' && r.経路 === '直接編集')!
        .利用者,
    ).toBe('(Sheetsから利用者が渡されませんでした)');
  });

  it('from someone without a role is put back', () => {
    const rt = sampleRuntime();
    const ref = stageRef(rt, 'R7-S02', '契約課');
    edit(rt, ref, '②', OUTSIDER);
    expect(cellAt(rt, ref)).toMatchObject({ v: '①', note: expect.stringContaining('権限がありません') });
  });

  it('in a pasted block, only the invalid cells are put back', () => {
    const rt = sampleRuntime();
    const first = stageRef(rt, 'R7-U05', '子ども家庭課');
    const second = stageRef(rt, 'R7-U05', 'デジタル推進課');
    expect(Number(second.replace(/\D+/, '')) - Number(first.replace(/\D+/, ''))).toBe(1);
    // R7-U06 保育サービス課 (②) follows: paste ②, ④, 未提示 over three stage cells.
    typeInto(rt, first, [['②'], ['④'], ['未提示']], { user: PT });
    expect(progressOf(rt, 'R7-U05', '子ども家庭課').段階).toBe('②');
    expect(progressOf(rt, 'R7-U05', 'デジタル推進課').段階).toBe('④');
    const third = records(rt, '所管課別進捗')[Number(first.replace(/\D+/, ''))];
    expect(third).toMatchObject({ ID: 'R7-U06', 段階: '②' });
  });
});

describe('課題一覧 edited by hand', () => {
  it('判断 検討継続 needs a department at ②; with one it counts as ③', () => {
    const rt = sampleRuntime();
    const bad = cellRef(rt, '課題一覧', '判断', 'R7-U08');
    edit(rt, bad, '検討継続');
    expect(cellAt(rt, bad)).toMatchObject({ v: '', note: expect.stringContaining('②') });
    edit(rt, cellRef(rt, '課題一覧', '判断', 'R7-U02'), '検討継続');
    expect(proposal(rt, 'R7-U02')).toMatchObject({ 判断: '検討継続', 判断日: '2025-11-25', 進捗: '③' });
  });

  it('puts back the display columns, an ID change, and a category that does not fit the kind', () => {
    const rt = sampleRuntime();
    const stage = cellRef(rt, '課題一覧', '進捗', 'R7-U01');
    edit(rt, stage, '④');
    expect(cellAt(rt, stage).v).toBe('②');
    const id = cellRef(rt, '課題一覧', 'ID', 'R7-U02');
    edit(rt, id, 'R7-U99');
    expect(cellAt(rt, id)).toMatchObject({
      v: 'R7-U02',
      note: expect.stringContaining('IDは変更できません'),
    });
    const cat = cellRef(rt, '課題一覧', '場面・分類', 'R7-U02');
    edit(rt, cat, '両方');
    expect(cellAt(rt, cat).v).toBe('行政手続きの場面等');
    edit(rt, cat, '公共の場等');
    expect(proposal(rt, 'R7-U02')['場面・分類']).toBe('公共の場等');
    expect(
      records(rt, '変更履歴').find(
        (r) => r.ID === 'R7-U02' && r.項目 === '場面・分類' && r.経路 === '直接編集',
      ),
    ).toMatchObject({
      旧値: '行政手続きの場面等',
      新値: '公共の場等',
    });
  });

  it('accepts text edits with history, and keeps a typed formula from people out of the register as text', () => {
    const rt = sampleRuntime();
    edit(rt, cellRef(rt, '課題一覧', '備考', 'R7-U10'), '土日のみ');
    expect(records(rt, '変更履歴').find((r) => r.ID === 'R7-U10' && r.項目 === '備考')).toMatchObject({
      新値: '土日のみ',
      経路: '直接編集',
    });
  });
});

describe('onChange: deletions and sorts', () => {
  it('restores a deleted proposal row from the accepted state and reports it once; a sort breaks nothing', () => {
    const rt = sampleRuntime();
    sortSheet(rt, '課題一覧', 7, { user: PT });
    expect(rt.state.outbox).toEqual([]);
    const before = proposal(rt, 'R7-S04');
    const row = Number(cellRef(rt, '課題一覧', 'ID', 'R7-S04').replace(/\D+/, ''));
    changeRows(rt, '課題一覧', row, row, 'REMOVE_ROW', { user: PT });
    expect(rt.state.outbox.map((m) => [m.to, m.subject])).toEqual([
      [OWNER, '【プラチナ提案台帳】台帳の行を元に戻しました'],
    ]);
    expect(rt.state.outbox[0]!.body).toContain('R7-S04');
    expect(proposal(rt, 'R7-S04')).toEqual(before);
    expect(cellAt(rt, cellRef(rt, '課題一覧', 'ID', 'R7-S04')).note).toContain('削除された行を');
    sortSheet(rt, '課題一覧', 1, { user: PT });
    expect(rt.state.outbox).toHaveLength(1);
    // The sidebar keeps finding rows by ID after the sort.
    const v = ok(call<{ version: string }>(rt, 'apiGetProposal', { id: 'R7-U05' }));
    ok(call(rt, 'apiUpdateProposal', { id: 'R7-U05', version: v.version, fields: { notes: 'ソート後' } }));
    expect(proposal(rt, 'R7-U05').備考).toBe('ソート後');
  });
});

describe('concurrency (script lock, re-read inside it)', () => {
  it('a hand edit made during a sidebar save waits for the lock, then is judged against the saved state', () => {
    const rt = sampleRuntime();
    const ref = stageRef(rt, 'R7-S08', '会計室');
    const v = ok(call<{ version: string }>(rt, 'apiGetProposal', { id: 'R7-S08' }));
    rt.interleave('Range.setValues', () => edit(rt, ref, '②', PT2()));
    ok(
      call(rt, 'apiSetDepartmentStage', {
        id: 'R7-S08',
        version: v.version,
        department: '会計室',
        stage: '④',
      }),
    );
    // The sidebar's ④ was written after the typed ②; the edit's trigger then found nothing to undo.
    expect(progressOf(rt, 'R7-S08', '会計室').段階).toBe('④');
    expect(proposal(rt, 'R7-S08').進捗).toBe('④');
  });

  it('a second save while the first holds the lock is refused cleanly, and succeeds after', () => {
    const rt = sampleRuntime();
    const draft = { kind: '職員の困りごと', category: '両方', painPoint: 'x', title: 'A', departments: [] };
    let second: unknown;
    rt.interleave('Range.setValues', () => {
      second = call(rt, 'apiCreateProposal', { ...draft, title: 'B' }, OWNER);
    });
    expect(ok(call<{ proposal: { id: string } }>(rt, 'apiCreateProposal', draft)).proposal.id).toBe('R7-S18');
    expect(second).toMatchObject({
      ok: false,
      code: 'busy',
      message: expect.stringContaining('他の処理が実行中'),
    });
    expect(
      ok(call<{ proposal: { id: string } }>(rt, 'apiCreateProposal', { ...draft, title: 'B' }, OWNER))
        .proposal.id,
    ).toBe('R7-S19');
  });

  it('a put-back is skipped when the cell no longer holds what was typed', () => {
    const rt = sampleRuntime();
    const ref = stageRef(rt, 'R7-U01', '広報室');
    rt.interleave('Range.getNotes', () => {
      cellAt(rt, ref).v = '④';
    });
    edit(rt, ref, '①');
    expect(cellAt(rt, ref).v).toBe('④');
  });
});

describe('re-checking just before writing', () => {
  it('a sidebar save whose cell a person changed after it was read is refused as stale, writing nothing', () => {
    const rt = sampleRuntime();
    const v = ok(call<{ version: string }>(rt, 'apiGetProposal', { id: 'R7-U10' })).version;
    const ref = cellRef(rt, '課題一覧', '備考', 'R7-U10');
    const before = records(rt, '変更履歴').length;
    // The save reads the register in two Sheets API requests, decides, then re-reads the rows it
    // changes in a third (pre-write.ts): type after the reads, just before that re-read.
    rt.interleave(
      'Sheets.Spreadsheets.Values.batchGet',
      () => {
        cellAt(rt, ref).v = '手で書いた備考';
      },
      2,
    );
    const r = call(rt, 'apiUpdateProposal', {
      id: 'R7-U10',
      version: v,
      fields: { notes: 'サイドバーの備考', ptMembers: '田中' },
    });
    expect(r).toMatchObject({ ok: false, code: 'stale' });
    expect(records(rt, '課題一覧').find((x) => x.ID === 'R7-U10')).toMatchObject({
      備考: '手で書いた備考',
      PT担当: '',
    });
    expect(records(rt, '変更履歴')).toHaveLength(before);
  });
});

describe('concurrency with mail and answers', () => {
  it('a stage change made while a request is being sent (no lock held) is kept, and the request is sent once', () => {
    const rt = sampleRuntime();
    const v = () => ok(call<{ version: string }>(rt, 'apiGetProposal', { id: 'R7-S09' })).version;
    rt.state.mail.dailyQuota = 0;
    ok(call(rt, 'apiPresent', { id: 'R7-S09', version: v(), departments: ['車両管理課'] }));
    expect(records(rt, '送信記録').map((r) => r.状態)).toEqual(['待機']);
    rt.state.mail.dailyQuota = 100;
    let during: unknown;
    rt.interleave('MailApp.sendEmail', () => {
      during = call(rt, 'apiRecordConsultation', {
        id: 'R7-S09',
        version: v(),
        department: '車両管理課',
        date: '2025-11-25',
        summary: '送信中の協議',
      });
    });
    tick(rt);
    expect(during).toMatchObject({ ok: true });
    expect(rt.state.outbox).toHaveLength(1);
    expect(records(rt, '送信記録').map((r) => r.状態)).toEqual(['送信済']);
    expect(
      records(rt, '所管課別進捗').find((r) => r.ID === 'R7-S09' && r.所管課 === '車両管理課'),
    ).toMatchObject({ 段階: '②', 依頼状態: '送信済' });
  });

  it('an answer arriving during a summary rebuild is refused cleanly (busy), then recorded and counted', () => {
    const rt = sampleRuntime();
    const v = ok(call<{ version: string }>(rt, 'apiGetProposal', { id: 'R7-U03' })).version;
    ok(call(rt, 'apiPresent', { id: 'R7-U03', version: v, departments: ['保護課'] }));
    const token = /\?t=(\S+)/.exec(rt.state.outbox[0]!.body)![1]!;
    let during: unknown;
    rt.interleave('Range.setValues', () => {
      during = rt.callWeb('apiAnswer', [{ token, kind: '協議に応じる', answeredBy: '保護課' }]);
    });
    ok(call(rt, 'apiRebuildSummary', {}, OWNER));
    expect(during).toMatchObject({ ok: false, code: 'busy' });
    expect(
      records(rt, '所管課別進捗').find((r) => r.ID === 'R7-U03' && r.所管課 === '保護課')!.回答区分,
    ).toBe('');
    ok(rt.callWeb('apiAnswer', [{ token, kind: '協議に応じる', answeredBy: '保護課' }]));
    const summary = ok(
      call<{ departments: { name: string; answered: number }[] }>(rt, 'apiRebuildSummary', {}, OWNER),
    );
    expect(summary.departments.find((d) => d.name === '保護課')!.answered).toBe(1);
  });
});

function PT2() {
  return 'pt.suzuki@example.jp';
}

describe('集計 after valid hand edits', () => {
  it('is rebuilt at once at most once a minute; otherwise marked dirty and rebuilt by the 10-minute trigger', () => {
    const rt = sampleRuntime();
    const dirty = () => registerProps(rt).SUMMARY_DIRTY;
    const userRow = () => sheetValues(rt, '集計').find((r) => r[0] === 'ユーザーの困りごと' && r[1] !== '');
    ok(call(rt, 'apiRebuildSummary', {}, OWNER));
    edit(rt, stageRef(rt, 'R7-U03', '保護課'), '②');
    // Within the minute: the tab waits, marked dirty.
    expect(dirty()).toBe('1');
    expect(userRow()).toEqual(['ユーザーの困りごと', '5件', '11件', '0件', '1件', '17件']);
    tick(rt);
    expect(dirty()).toBe('');
    expect(userRow()).toEqual(['ユーザーの困りごと', '4件', '12件', '0件', '1件', '17件']);
    // More than a minute after that rebuild, a valid edit rebuilds at once.
    rt.advance(61_000);
    const before = sheetValues(rt, '集計');
    edit(rt, stageRef(rt, 'R7-S02', '契約課'), '②');
    expect(dirty()).toBe('');
    const after = sheetValues(rt, '集計');
    expect(after).not.toEqual(before);
    ok(call(rt, 'apiRebuildSummary', {}, OWNER));
    expect(sheetValues(rt, '集計')).toEqual(after);
  });
});

describe('the check of a typed cell', () => {
  it('lists the owner’s triggers once, then knows them from the properties (a trigger made since is looked up)', () => {
    const rt = sampleRuntime();
    const listed = () =>
      (rt.calls.get('ScriptApp.getProjectTriggers') ?? 0) + (rt.calls.get('ScriptApp.getUserTriggers') ?? 0);
    edit(rt, stageRef(rt, 'R7-U03', '保護課'), '②');
    rt.calls.clear();
    edit(rt, cellRef(rt, '課題一覧', '備考', 'R7-U04'), 'メモ');
    expect(listed()).toBe(0);
    expect(proposal(rt, 'R7-U04').備考).toBe('メモ');
    // A list that no longer names the edit trigger (made again since): looked up live, and accepted.
    registerProps(rt).OWN_TRIGGERS = '{}';
    edit(rt, cellRef(rt, '課題一覧', '備考', 'R7-U05'), 'メモ2');
    expect(listed()).toBe(1);
    expect(proposal(rt, 'R7-U05').備考).toBe('メモ2');
  });
});
