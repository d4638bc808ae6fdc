// Attacks on "one door per move" (#18 item 2) and the history read (item 3): a PT member, an
// outsider or a web-app visitor trying to move a stage or a 判断 backwards, or to change what only
// the transitions allow, through the sidebar API, the web app and typed or pasted cells.
import { describe, expect, it } from 'vitest';
import { typeInto } from '../../local/runtime/people';
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
  type Result,
  records,
  sampleRuntime,
} from '../helpers';

const version = (rt: Runtime, id: string) =>
  ok(call<{ version: string }>(rt, 'apiGetProposal', { id })).version;
const stageOf = (rt: Runtime, id: string, department: string) =>
  records(rt, '所管課別進捗').find((r) => r.ID === id && r.所管課 === department)!.段階;
const proposal = (rt: Runtime, id: string) => records(rt, '課題一覧').find((r) => r.ID === id)!;
const historyCount = (rt: Runtime) => records(rt, '変更履歴').length;

describe('backward moves are the secretariat’s, with a reason, whatever the door', () => {
  it('a PT member’s backward stage move is refused from the sidebar, with or without a reason', () => {
    const rt = sampleRuntime();
    const before = historyCount(rt);
    for (const reason of ['', '間違えたので戻します'])
      expect(
        call(rt, 'apiSetDepartmentStage', {
          id: 'R7-U01',
          version: version(rt, 'R7-U01'),
          department: '広報室',
          stage: '①',
          reason,
        }),
      ).toMatchObject({ ok: false, code: 'forbidden' });
    expect(stageOf(rt, 'R7-U01', '広報室')).toBe('②');
    expect(historyCount(rt)).toBe(before);
    // The view offers the PT no correction either.
    const view = ok(
      call<{ departments: { department: string; choices: { kind: string }[] }[] }>(rt, 'apiGetProposal', {
        id: 'R7-U01',
      }),
    );
    for (const d of view.departments) expect(d.choices.map((c) => c.kind)).not.toContain('correction');
    // The secretariat may, with a reason.
    expect(
      call(
        rt,
        'apiSetDepartmentStage',
        { id: 'R7-U01', version: version(rt, 'R7-U01'), department: '広報室', stage: '①', reason: '' },
        OWNER,
      ),
    ).toMatchObject({ ok: false, fieldErrors: { reason: expect.any(String) } });
    ok(
      call(
        rt,
        'apiSetDepartmentStage',
        { id: 'R7-U01', version: version(rt, 'R7-U01'), department: '広報室', stage: '①', reason: '誤登録' },
        OWNER,
      ),
    );
    expect(stageOf(rt, 'R7-U01', '広報室')).toBe('①');
  });

  it('a PT member cannot undo a 判断 from the sidebar; a 所管外 department cannot be brought back by the PT', () => {
    const rt = sampleRuntime();
    ok(call(rt, 'apiRecordJudgment', { id: 'R7-U01', version: version(rt, 'R7-U01'), judgment: '検討継続' }));
    for (const judgment of ['', '検討終了'] as const) {
      const r = call(rt, 'apiRecordJudgment', {
        id: 'R7-U01',
        version: version(rt, 'R7-U01'),
        judgment,
        endReason: judgment ? 'その他' : '',
        reason: '取り消したい',
      });
      // Ending a continued study is a forward move (the PT's); undoing it is not.
      if (judgment === '') expect(r).toMatchObject({ ok: false, code: 'forbidden' });
      else ok(r);
    }
    expect(
      call(rt, 'apiRecordJudgment', {
        id: 'R7-U01',
        version: version(rt, 'R7-U01'),
        judgment: '検討継続',
        reason: 'やはり継続',
      }),
    ).toMatchObject({ ok: false, code: 'forbidden' });
    expect(proposal(rt, 'R7-U01').判断).toBe('検討終了');

    // 所管外 needs a reason; bringing the department back is a correction.
    ok(
      call(rt, 'apiSetDepartmentStage', {
        id: 'R7-U03',
        version: version(rt, 'R7-U03'),
        department: '保護課',
        stage: '所管外',
        reason: '担当外',
      }),
    );
    expect(
      call(rt, 'apiSetDepartmentStage', {
        id: 'R7-U03',
        version: version(rt, 'R7-U03'),
        department: '保護課',
        stage: '①',
        reason: '戻す',
      }),
    ).toMatchObject({ ok: false, code: 'forbidden' });
    expect(
      call(rt, 'apiAddDepartment', { id: 'R7-U03', version: version(rt, 'R7-U03'), department: '保護課' }),
    ).toMatchObject({ ok: false });
    expect(stageOf(rt, 'R7-U03', '保護課')).toBe('所管外');
  });

  it('the web app (running as the deployer, the secretariat) lends no one the secretariat’s role', () => {
    const rt = sampleRuntime();
    const before = historyCount(rt);
    const payload = {
      id: 'R7-U01',
      version: version(rt, 'R7-U01'),
      department: '広報室',
      stage: '①',
      reason: '誤登録',
    };
    for (const visitor of ['', PT, OUTSIDER]) {
      expect(rt.callWeb<Result>('apiSetDepartmentStage', [payload], visitor)).toMatchObject({
        ok: false,
        code: 'forbidden',
      });
      expect(
        rt.callWeb<Result>(
          'apiRecordJudgment',
          [{ id: 'R7-U01', version: payload.version, judgment: '検討継続' }],
          visitor,
        ),
      ).toMatchObject({ ok: false, code: 'forbidden' });
    }
    expect(stageOf(rt, 'R7-U01', '広報室')).toBe('②');
    expect(historyCount(rt)).toBe(before);
  });

  it('an outsider (no role in 設定) moves nothing even forward', () => {
    const rt = sampleRuntime();
    expect(
      call(
        rt,
        'apiSetDepartmentStage',
        { id: 'R7-U03', version: version(rt, 'R7-U03'), department: '保護課', stage: '②', reason: '' },
        OUTSIDER,
      ),
    ).toMatchObject({ ok: false, code: 'forbidden' });
    expect(stageOf(rt, 'R7-U03', '保護課')).toBe('①');
  });

  it('apiUpdateProposal takes only the editable fields: 判断, 判断日, 終了理由 or ID sent with it change nothing', () => {
    const rt = sampleRuntime();
    const r = call(rt, 'apiUpdateProposal', {
      id: 'R7-U01',
      version: version(rt, 'R7-U01'),
      fields: {
        judgment: '検討終了',
        judgmentDate: '2025-11-01',
        endReason: 'その他',
        id: 'R7-U99',
        kind: '職員の困りごと',
      },
    });
    // Either refused or the unknown fields dropped: never applied.
    expect(typeof r.ok).toBe('boolean');
    expect(proposal(rt, 'R7-U01')).toMatchObject({
      ID: 'R7-U01',
      判断: '',
      判断日: '',
      終了理由: '',
      種別: 'ユーザーの困りごと',
    });
  });
});

describe('typed and pasted cells take the same doors', () => {
  it('a PT member typing a backward stage is put back with a note, and so is each cell of a pasted block', () => {
    const rt = sampleRuntime();
    const before = historyCount(rt);
    const ref = cellRef(rt, '所管課別進捗', '段階', 'R7-U01', '広報室');
    edit(rt, ref, '①');
    expect(cellAt(rt, ref)).toMatchObject({ v: '②', note: expect.stringContaining('事務局') });
    edit(rt, ref, '');
    expect(cellAt(rt, ref).v).toBe('②');
    // A block pasted over three rows' 段階 (the first rows of 所管課別進捗: ②, ①, ②) all going back.
    const first = cellRef(rt, '所管課別進捗', '段階', 'R7-U01', '広報室');
    typeInto(rt, first, [['未提示'], ['未提示'], ['①']], { user: PT });
    expect(stageOf(rt, 'R7-U01', '広報室')).toBe('②');
    expect(stageOf(rt, 'R7-U01', '情報政策課')).toBe('①');
    expect(stageOf(rt, 'R7-U02', '広報室')).toBe('②');
    expect(historyCount(rt)).toBe(before);
  });

  it('a PT member clearing a typed 判断 is put back (undoing it is a correction)', () => {
    const rt = sampleRuntime();
    ok(call(rt, 'apiRecordJudgment', { id: 'R7-U01', version: version(rt, 'R7-U01'), judgment: '検討継続' }));
    const ref = cellRef(rt, '課題一覧', '判断', 'R7-U01');
    edit(rt, ref, '');
    expect(cellAt(rt, ref).v).toBe('検討継続');
    edit(rt, cellRef(rt, '課題一覧', '判断日', 'R7-U01'), '2025-10-01');
    expect(proposal(rt, 'R7-U01').判断日).toBe('2025-11-25');
  });

  // Was a bug (fixed): the sidebar refuses 実施状況 on a proposal not continued (検討継続) — "実施状況は検討継続と
  // 判断した課題に付けます" (domain/operations.ts updateProposal) — but a typed cell takes it:
  // server/hand-edits.ts applyProposalCell sets 'implementation' with no judgment check.
  it('a typed 実施状況 on a proposal with no 判断 is put back, as the sidebar refuses it', () => {
    const rt = sampleRuntime();
    expect(
      call(rt, 'apiUpdateProposal', {
        id: 'R7-U02',
        version: version(rt, 'R7-U02'),
        fields: { implementation: '実施中' },
      }),
    ).toMatchObject({ ok: false, fieldErrors: { implementation: expect.stringContaining('検討継続') } });
    const ref = cellRef(rt, '課題一覧', '実施状況', 'R7-U02');
    edit(rt, ref, '実施中');
    expect(proposal(rt, 'R7-U02').実施状況).toBe('');
  });

  // Was a bug (fixed): the sidebar sets 終了理由 only with 検討終了 (recordJudgment); a typed 終了理由 on a
  // proposal with no 判断 is accepted (hand-edits.ts applyProposalCell falls through to setProposal),
  // leaving an 終了理由 on a proposal that has not ended.
  it('a typed 終了理由 on a proposal that has not ended is put back', () => {
    const rt = sampleRuntime();
    const ref = cellRef(rt, '課題一覧', '終了理由', 'R7-U02');
    edit(rt, ref, 'その他');
    expect(proposal(rt, 'R7-U02').終了理由).toBe('');
  });
});

describe('変更履歴 through apiProposalHistory', () => {
  it('is read by a PT member and the secretariat, never by an outsider or a web-app visitor', () => {
    const rt = sampleRuntime();
    ok(
      call(rt, 'apiUpdateProposal', {
        id: 'R7-U01',
        version: version(rt, 'R7-U01'),
        fields: { notes: 'メモ' },
      }),
    );
    const history = ok(call<{ field: string; new: string }[]>(rt, 'apiProposalHistory', { id: 'R7-U01' }));
    expect(history.map((h) => h.new)).toContain('メモ');
    expect(JSON.stringify(history)).not.toMatch(/hash/);
    ok(call(rt, 'apiProposalHistory', { id: 'R7-U01' }, OWNER));
    expect(call(rt, 'apiProposalHistory', { id: 'R7-U01' }, OUTSIDER)).toMatchObject({
      ok: false,
      code: 'forbidden',
    });
    for (const visitor of ['', PT, OUTSIDER])
      expect(rt.callWeb<Result>('apiProposalHistory', [{ id: 'R7-U01' }], visitor)).toMatchObject({
        ok: false,
        code: 'forbidden',
      });
    // Junk ids neither crash nor list other proposals' rows.
    for (const id of ['', ' ', 'R7-U0', 'R7-U01 ', '*', '.*'])
      expect(call<unknown[]>(rt, 'apiProposalHistory', { id }).ok && id.trim() !== 'R7-U01').toBe(false);
  });
});
