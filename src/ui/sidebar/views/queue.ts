// 送信キュー (secretariat): what has not been sent, the quota left today, and requests to resolve.
import { callServer } from '../../client';
import { clear, h } from '../../dom';
import type { App } from '../main';

export async function showQueue(app: App) {
  clear(app.root, h('p', { class: 'loading', role: 'status' }, '読み込み中…'));
  const r = await callServer('apiMailQueue');
  const back = h(
    'button',
    { type: 'button', class: 'link back', onclick: () => app.go('search') },
    '← 一覧へ',
  );
  if (!r.ok) return clear(app.root, back, h('p', { class: 'error', role: 'alert' }, r.message));
  const resolve = async (key: string, action: 'resend' | 'sent') => {
    const res = await callServer('apiResolveMail', { key, action });
    if (!res.ok) app.notice(res.message, 'error');
    else {
      await showQueue(app);
      app.notice(action === 'resend' ? '再送しました。' : '送信済にしました。');
    }
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
          m.error ? h('p', { class: 'error' }, m.error) : null,
          m.state === '要確認' || m.state === '失敗'
            ? h(
                'div',
                { class: 'buttons' },
                h(
                  'button',
                  { type: 'button', class: 'action', onclick: () => resolve(m.key, 'resend') },
                  '再送',
                ),
                h(
                  'button',
                  { type: 'button', class: 'link', onclick: () => resolve(m.key, 'sent') },
                  '送信済にする',
                ),
              )
            : null,
        ),
      ),
    ),
  );
}
