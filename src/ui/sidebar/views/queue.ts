// 送信キュー (secretariat): what has not been sent, the quota left today, and requests to resolve.
import { mailErrorText } from '../../../domain/mail-errors';
import { callServer } from '../../client';
import { clear, h } from '../../dom';
import type { App } from '../app';

export async function showQueue(app: App) {
  clear(app.root, h('p', { class: 'loading', role: 'status' }, '読み込み中…'));
  const r = await callServer('apiMailQueue');
  const back = h(
    'button',
    { type: 'button', class: 'link back', onclick: () => app.go('search') },
    '← 一覧へ',
  );
  if (!r.ok) return clear(app.root, back, h('p', { class: 'error', role: 'alert' }, r.message));
  const resolve = async (key: string, action: 'resend' | 'sent', what: string) => {
    let res: Awaited<ReturnType<typeof callServer<'apiResolveMail'>>>;
    try {
      res = await callServer('apiResolveMail', { key, action });
    } catch (e) {
      app.notice(mailErrorText(String((e as Error).message ?? e)), 'error');
      return;
    }
    if (!res.ok) return app.notice(res.message, 'error');
    const after = await callServer('apiMailQueue').catch(() => null);
    await showQueue(app);
    if (action === 'sent') return app.notice(`${what}を送信済にしました。`);
    // Says what really happened: sent, still failing (with the reason), or waiting for quota.
    const still = after?.ok ? after.data.pending.find((m) => m.key === key) : undefined;
    if (res.data.sent > 0) app.notice(`${what}を再送しました(宛先は所管課シートの現在のアドレス)。`);
    else if (res.data.deferred > 0 || still?.state === '待機')
      app.notice(`${what}は送信待ちです(今日の送信上限)。次の定期送信で送ります。`, 'error');
    else
      app.notice(
        `${what}を再送できませんでした。まだ「${still?.state ?? '失敗'}」です。${still?.error ? mailErrorText(still.error) : ''}`,
        'error',
      );
  };
  clear(
    app.root,
    back,
    h('h2', {}, '送信キュー'),
    h('p', {}, `今日の残り送信可能数(宛先数): ${r.data.quota}　本日送信: ${r.data.sentToday}件`),
    r.data.problems.length
      ? h(
          'div',
          { class: 'error', role: 'alert' },
          h(
            'p',
            {},
            '送信記録に手で変更された行があります(送信には使われません。戻せるものは元に戻しました):',
          ),
          h('ul', {}, ...r.data.problems.map((line) => h('li', {}, line))),
        )
      : null,
    r.data.pending.length === 0 ? h('p', { class: 'hint' }, '未送信のメールはありません。') : null,
    h(
      'ul',
      { class: 'log' },
      ...r.data.pending.map((m) =>
        h(
          'li',
          {},
          h('strong', {}, `${m.state} `),
          `${m.id} ${m.department} ${m.mailKind}(第${m.round}回)`,
          m.error ? h('p', { class: 'error' }, mailErrorText(m.error)) : null,
          m.state === '要確認' || m.state === '失敗'
            ? h(
                'div',
                { class: 'buttons' },
                h(
                  'button',
                  {
                    type: 'button',
                    class: 'action',
                    onclick: () => resolve(m.key, 'resend', `${m.id} ${m.department}への${m.mailKind}`),
                  },
                  '再送',
                ),
                h(
                  'button',
                  {
                    type: 'button',
                    class: 'link',
                    onclick: () => resolve(m.key, 'sent', `${m.id} ${m.department}への${m.mailKind}`),
                  },
                  '送信済にする',
                ),
              )
            : null,
        ),
      ),
    ),
  );
}
