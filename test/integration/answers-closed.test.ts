// Closed requests are closed: a department at 所管外 or back at 未提示, or a proposal ended (検討終了),
// cannot be answered, and its page says so. The same answer submitted again changes nothing and
// tells no one.
import { describe, expect, it } from 'vitest';
import type { Runtime } from '../../local/runtime/runtime';
import { call, daily, OWNER, ok, pageData, type Result, records, sampleRuntime } from '../helpers';

const version = (rt: Runtime, id: string) =>
  ok(call<{ version: string }>(rt, 'apiGetProposal', { id })).version;

/** Presents R7-U03 to 保護課 and returns the answer link's token. */
function presented(rt: Runtime) {
  ok(
    call(rt, 'apiPresent', {
      id: 'R7-U03',
      version: version(rt, 'R7-U03'),
      departments: ['保護課'],
      effectiveDate: '2025-11-20',
    }),
  );
  const m = rt.state.outbox.find((x) => x.to === 'hogo@example.jp')!;
  return /\?t=((?:[A-Za-z0-9]{16}\.)?[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+)/.exec(m.body)![1]!;
}

const progress = (rt: Runtime) =>
  records(rt, '所管課別進捗').find((r) => r.ID === 'R7-U03' && r.所管課 === '保護課')!;
const notices = (rt: Runtime) => rt.state.outbox.filter((m) => m.subject.startsWith('【回答】'));
const answer = (rt: Runtime, token: string, extra: Record<string, unknown> = {}) =>
  rt.callWeb<Result<{ recorded: boolean }>>('apiAnswer', [
    { token, kind: '協議に応じる', comment: '12月上旬に協議したい', answeredBy: '保護課 山田', ...extra },
  ]);

describe('closed requests', () => {
  const closings: [string, (rt: Runtime) => void, RegExp][] = [
    [
      '所管外',
      (rt) =>
        ok(
          call(rt, 'apiSetDepartmentStage', {
            id: 'R7-U03',
            version: version(rt, 'R7-U03'),
            department: '保護課',
            stage: '所管外',
            reason: '所管が違う',
          }),
        ),
      /所管外/,
    ],
    [
      'back at 未提示',
      (rt) =>
        ok(
          call(
            rt,
            'apiSetDepartmentStage',
            {
              id: 'R7-U03',
              version: version(rt, 'R7-U03'),
              department: '保護課',
              stage: '未提示',
              reason: '誤って提示した',
            },
            OWNER,
          ),
        ),
      /未提示/,
    ],
    [
      '検討終了',
      (rt) =>
        ok(
          call(rt, 'apiRecordJudgment', {
            id: 'R7-U03',
            version: version(rt, 'R7-U03'),
            judgment: '検討終了',
            endReason: '解決が望めない',
          }),
        ),
      /検討終了/,
    ],
  ];
  for (const [name, close, why] of closings) {
    it(`a department ${name}: the page says it is closed, and an answer is refused and records nothing`, () => {
      const rt = sampleRuntime();
      const token = presented(rt);
      expect(pageData(rt.webGet({ t: token }))).toMatchObject({ ok: true });
      close(rt);
      const page = pageData(rt.webGet({ t: token }));
      expect(page).toMatchObject({
        ok: false,
        message: expect.stringContaining('終了しているため、回答できません'),
      });
      expect(page.message).toMatch(why);
      const history = records(rt, '変更履歴').length;
      expect(answer(rt, token)).toMatchObject({
        ok: false,
        code: 'forbidden',
        message: expect.stringMatching(why),
      });
      expect(progress(rt).回答区分).toBe('');
      expect(records(rt, '変更履歴')).toHaveLength(history);
      expect(notices(rt)).toEqual([]);
      // Nor is a reminder sent for it.
      rt.setClock('2025-12-10T09:00:00+09:00');
      daily(rt);
      expect(rt.state.outbox.filter((m) => m.subject.startsWith('【再送'))).toEqual([]);
    });
  }

  it('an older round is closed once a newer request was sent', () => {
    const rt = sampleRuntime();
    const first = presented(rt);
    ok(
      call(rt, 'apiPresent', {
        id: 'R7-U03',
        version: version(rt, 'R7-U03'),
        departments: ['保護課'],
        newRound: true,
      }),
    );
    const second = /\?t=(\S+)/.exec(rt.state.outbox.at(-1)!.body)![1]!;
    expect(pageData(rt.webGet({ t: first }))).toMatchObject({
      ok: false,
      message: expect.stringContaining('新しい依頼'),
    });
    expect(answer(rt, first)).toMatchObject({ ok: false, code: 'forbidden' });
    expect(pageData(rt.webGet({ t: second }))).toMatchObject({ ok: true });
    ok(answer(rt, second));
    expect(notices(rt)).toHaveLength(1);
  });
});

describe('the same answer again', () => {
  it('changes nothing and sends no second notification; a different answer does', () => {
    const rt = sampleRuntime();
    const token = presented(rt);
    expect(ok(answer(rt, token, { proposedDate: '2025/12/03' }))).toEqual({ recorded: true });
    expect(notices(rt)).toHaveLength(1);
    const history = records(rt, '変更履歴').length;
    const mailRows = records(rt, '送信記録').length;
    // The same kind, comment and date (the date written another way, the comment with spaces around it).
    expect(ok(answer(rt, token, { proposedDate: '2025-12-03', comment: ' 12月上旬に協議したい ' }))).toEqual({
      recorded: false,
    });
    rt.setClock('2025-11-26T10:00:00+09:00');
    expect(ok(answer(rt, token, { proposedDate: '2025-12-03', answeredBy: '保護課 山田' }))).toEqual({
      recorded: false,
    });
    expect(notices(rt)).toHaveLength(1);
    expect(records(rt, '変更履歴')).toHaveLength(history);
    expect(records(rt, '送信記録')).toHaveLength(mailRows);
    expect(progress(rt)).toMatchObject({ 回答日: '2025-11-25', 協議希望日: '2025-12-03' });
    expect(ok(answer(rt, token, { proposedDate: '2025-12-04' }))).toEqual({ recorded: true });
    expect(notices(rt)).toHaveLength(2);
    expect(progress(rt)).toMatchObject({ 協議希望日: '2025-12-04', 回答日: '2025-11-26' });
  });
});
