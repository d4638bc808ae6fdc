// The department's answer page: the request as the email showed it, and a form to answer. Opening
// it changes nothing; only submitting records an answer (or a revision of the earlier one).
import type { AnswerPage } from '../../server/answers';
import { callServer } from '../client';
import { clear, h } from '../dom';
import { form } from '../forms';

const app = document.getElementById('app')!;
const page = JSON.parse(
  document.getElementById('data')?.textContent ?? '{"ok":false,"message":"ページを表示できません。"}',
) as AnswerPage;

function render() {
  if (!page.ok) {
    clear(app, h('h1', {}, '協議依頼への回答'), h('p', { class: 'error', role: 'alert' }, page.message));
    return;
  }
  const p = page;
  const f = form(
    [
      {
        name: 'kind',
        label: '回答区分',
        type: 'select',
        options: [{ value: '', label: '選んでください' }, ...p.kinds.map((k) => ({ value: k, label: k }))],
        value: p.answer?.kind ?? '',
        required: true,
      },
      {
        name: 'proposedDate',
        label: '協議の希望日',
        type: 'date',
        value: p.answer?.proposedDate ?? '',
        when: (v) => v.kind === '協議に応じる',
        hint: '例: 2025-12-10',
      },
      { name: 'comment', label: 'コメント', type: 'textarea', value: p.answer?.comment ?? '' },
      {
        name: 'answeredBy',
        label: '回答者(課・氏名)',
        value: p.answer?.by.replace(/ <.*>$/, '') ?? '',
        required: true,
      },
    ],
    p.answer ? '回答を修正する' : '回答する',
    async (v) => {
      const r = await callServer('apiAnswer', {
        token: p.token,
        kind: v.kind as string,
        comment: v.comment as string,
        answeredBy: v.answeredBy as string,
        proposedDate: v.kind === '協議に応じる' ? (v.proposedDate as string) : '',
      });
      if (r.ok)
        clear(
          app,
          h('h1', {}, 'ご回答ありがとうございました'),
          h(
            'p',
            { class: 'done', role: 'status' },
            r.data.recorded
              ? `${p.id} ${p.title} への回答「${v.kind}」を記録し、PT担当と事務局に知らせました。`
              : `${p.id} ${p.title} には同じ回答「${v.kind}」が記録済みです。変更はありません。`,
          ),
          h(
            'p',
            {},
            'このページは閉じてかまいません。修正が必要な場合は、同じリンクからもう一度回答できます。',
          ),
        );
      return r;
    },
  );
  clear(
    app,
    h('h1', {}, '協議依頼への回答'),
    h('p', { class: 'meta' }, `${p.projectName} ／ ${p.department} 宛 ／ 提示日 ${p.presentedOn}`),
    h('h2', {}, `${p.id} ${p.title}`),
    h(
      'dl',
      {},
      h('dt', {}, '種別'),
      h('dd', {}, p.kind),
      h('dt', {}, '困りごと'),
      h('dd', {}, p.painPoint),
      h('dt', {}, '解決策(提案)'),
      h('dd', {}, p.solution || '(記載なし)'),
      h('dt', {}, 'PT担当'),
      h('dd', {}, p.ptContact),
    ),
    p.answer
      ? h(
          'div',
          { class: 'earlier', role: 'note' },
          h('strong', {}, `前回の回答(${p.answer.on})`),
          h('p', {}, `${p.answer.kind}${p.answer.comment ? ` — ${p.answer.comment}` : ''}`),
          h('p', { class: 'hint' }, `回答者: ${p.answer.by}`),
        )
      : null,
    f.element,
  );
}

render();
