// Consultation requests: presented from the sidebar, sent at most once, never lost silently.
import { describe, expect, it } from 'vitest';
import {
  call,
  edit,
  newProposal as newProposalOf,
  OWNER,
  ok,
  PT,
  records,
  sampleRuntime,
  tick,
} from '../helpers';

type View = { version: string };
const version = (rt: ReturnType<typeof sampleRuntime>, id: string) =>
  ok(call<View>(rt, 'apiGetProposal', { id })).version;

const newProposal = (rt: ReturnType<typeof sampleRuntime>, extra: Record<string, unknown> = {}) =>
  newProposalOf(rt, extra);

const present = (
  rt: ReturnType<typeof sampleRuntime>,
  id: string,
  departments: string[],
  extra: Record<string, unknown> = {},
) =>
  call<{ keys: string[]; sent: number; failed: number; deferred: number }>(rt, 'apiPresent', {
    id,
    version: version(rt, id),
    departments,
    effectiveDate: '2025-11-20',
    ...extra,
  });

describe('presenting with consultation requests', () => {
  it('previews each email without changing anything', () => {
    const rt = sampleRuntime();
    const id = newProposal(rt);
    const before = JSON.stringify(rt.workbook.sheets);
    const preview = ok(
      call<{ department: string; recipients: string; subject: string; body: string }[]>(
        rt,
        'apiPreviewRequests',
        { id, departments: ['市民課'], effectiveDate: '2025-11-20' },
      ),
    );
    expect(preview[0]).toMatchObject({
      department: '市民課',
      recipients: 'shimin@example.jp',
      subject: `【協議依頼】${id} 転入手続きの事前予約`,
    });
    // 回答期限 counts from sending (today, 11-25), not from the 効力日 of the presentation.
    expect(preview[0]!.body).toContain('回答期限: 令和7年12月9日');
    expect(JSON.stringify(rt.workbook.sheets)).toBe(before);
    expect(rt.state.outbox).toEqual([]);
  });

  it('moves the departments to ① and sends one request each, as the presenting user, reply-to the PT contact', () => {
    const rt = sampleRuntime();
    const id = newProposal(rt);
    expect(ok(present(rt, id, ['市民課', '区政推進課']))).toMatchObject({ sent: 2, failed: 0 });
    expect(rt.state.outbox.map((m) => [m.from, m.to, m.replyTo])).toEqual([
      [PT, 'shimin@example.jp', PT],
      [PT, 'kusei@example.jp', PT],
    ]);
    const m = rt.state.outbox[0]!;
    expect(m.subject).toBe(`【協議依頼】${id} 転入手続きの事前予約`);
    expect(m.body).toMatch(/困りごと\n転入届の待ち時間が長い/);
    expect(m.body).toMatch(/http:\/\/localhost:8787\/exec\?t=[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+/);
    expect(
      records(rt, '所管課別進捗')
        .filter((r) => r.ID === id)
        .map((r) => [r.所管課, r.段階, r.提示日, r.依頼状態]),
    ).toEqual([
      ['市民課', '①', '2025-11-20', '送信済'],
      ['区政推進課', '①', '2025-11-20', '送信済'],
      ['情報政策課', '未提示', '', ''],
    ]);
    expect(records(rt, '送信記録').map((r) => [r.キー, r.状態, r.試行回数])).toEqual([
      [`${id}|市民課|依頼|1`, '送信済', '1'],
      [`${id}|区政推進課|依頼|1`, '送信済', '1'],
    ]);
    // Running again, from the sidebar or the trigger, sends nothing twice.
    tick(rt);
    expect(present(rt, id, ['市民課'])).toMatchObject({
      ok: false,
      message: expect.stringContaining('送信済み'),
    });
    expect(rt.state.outbox).toHaveLength(2);
  });

  it('sends a numbered new request for a new consultation round', () => {
    const rt = sampleRuntime();
    const id = newProposal(rt);
    ok(present(rt, id, ['市民課']));
    ok(present(rt, id, ['市民課'], { newRound: true }));
    expect(rt.state.outbox.map((m) => m.subject)).toEqual([
      `【協議依頼】${id} 転入手続きの事前予約`,
      `【協議依頼】${id} 転入手続きの事前予約(第2回)`,
    ]);
  });

  it('a run that dies mid-send leaves that request 要確認, never resent; the rest go out on the next run', () => {
    const rt = sampleRuntime();
    const id = newProposal(rt);
    rt.host.mailFailAfter = 1;
    expect(() => present(rt, id, ['市民課', '区政推進課', '情報政策課'])).toThrow(
      /Exceeded maximum execution time/,
    );
    expect(rt.state.outbox).toHaveLength(1);
    expect(records(rt, '送信記録').map((r) => r.状態)).toEqual(['送信済', '送信中', '待機']);
    rt.host.mailFailAfter = null;
    rt.advance(8 * 60_000);
    tick(rt);
    expect(records(rt, '送信記録').map((r) => r.状態)).toEqual(['送信済', '要確認', '送信済']);
    expect(rt.state.outbox.map((m) => m.to)).toEqual(['shimin@example.jp', 'johoseisaku@example.jp']);
    tick(rt);
    expect(rt.state.outbox).toHaveLength(2);
    // The secretariat sees it in the queue and resolves it.
    expect(
      ok(call<{ pending: { key: string; state: string }[] }>(rt, 'apiMailQueue', undefined, OWNER)).pending,
    ).toMatchObject([{ key: `${id}|区政推進課|依頼|1`, state: '要確認' }]);
    expect(call(rt, 'apiMailQueue', undefined, PT)).toMatchObject({ ok: false, code: 'forbidden' });
    ok(call(rt, 'apiResolveMail', { key: `${id}|区政推進課|依頼|1`, action: 'resend' }, OWNER));
    expect(rt.state.outbox.map((m) => m.to)).toEqual([
      'shimin@example.jp',
      'johoseisaku@example.jp',
      'kusei@example.jp',
    ]);
  });

  it('defers what the quota (counted in recipients) cannot cover, without losing it', () => {
    const rt = sampleRuntime();
    const id = newProposal(rt);
    rt.state.mail.dailyQuota = 1;
    expect(ok(present(rt, id, ['市民課', '区政推進課']))).toMatchObject({ sent: 1, deferred: 1 });
    expect(records(rt, '送信記録').map((r) => r.状態)).toEqual(['送信済', '待機']);
    expect(records(rt, '所管課別進捗').find((r) => r.ID === id && r.所管課 === '区政推進課')!.依頼状態).toBe(
      '待機',
    );
    rt.state.mail.dailyQuota = 100;
    tick(rt);
    expect(records(rt, '送信記録').map((r) => r.状態)).toEqual(['送信済', '送信済']);
    expect(rt.state.outbox.map((m) => m.from)).toEqual([PT, OWNER]);
  });

  it('a department without an address fails visibly; importing ① rows sends nothing', () => {
    const rt = sampleRuntime();
    const id = newProposal(rt);
    const sheet = rt.workbook.sheet('所管課')!;
    const row = sheet.cells.findIndex((r) => r?.[0]?.v === '市民課');
    edit(rt, `所管課!C${row + 1}`, '', OWNER);
    expect(ok(present(rt, id, ['市民課']))).toMatchObject({ sent: 0 });
    expect(records(rt, '送信記録')[0]).toMatchObject({
      状態: '失敗',
      エラー: '所管課シートに「市民課」のメールアドレスがありません。',
    });
    expect(rt.state.outbox).toEqual([]);
  });

  it('keeps names and titles from adding headers or HTML', () => {
    const rt = sampleRuntime();
    const id = newProposal(rt, {
      title: '件名\r\nBcc: attacker@example.com <b>太字</b>',
      painPoint: '<script>alert(1)</script>',
    });
    ok(present(rt, id, ['市民課']));
    const m = rt.state.outbox[0]!;
    expect(m.subject).not.toMatch(/[\r\n]/);
    expect(m.bcc).toBe('');
    expect(m.htmlBody).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(m.htmlBody).not.toContain('<script>');
    expect(m.htmlBody).not.toContain('<b>');
  });
});
