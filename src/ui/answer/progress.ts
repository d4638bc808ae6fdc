// Progress checks (実施状況の確認) on the answer page and in a department's inbox: the carried-over
// proposal, its 実施状況 now, and a form to report the 実施状況 (設定's list), a note and who answers.
import { shortWareki } from '../../domain/dates';
import type { InboxView } from '../../server/inbox';
import type { ProgressItem, ProgressView } from '../../server/progress-checks';
import { callServer } from '../client';
import { clear, h } from '../dom';
import { form } from '../forms';
import { closedNotice, isClosed, proposalFacts, showEntryResult } from './shared';

type Send = (v: Record<string, string | string[]>) => ReturnType<typeof callServer<'apiProgressAnswer'>>;

function progressForm(x: ProgressItem, statuses: readonly string[], send: Send) {
  return form(
    [
      {
        name: 'status',
        label: '実施状況',
        type: 'select',
        options: [{ value: '', label: '選んでください' }, ...statuses.map((s) => ({ value: s, label: s }))],
        value: x.answer?.status ?? '',
        required: true,
      },
      {
        name: 'note',
        label: 'メモ(取組の状況・予定など)',
        type: 'textarea',
        value: x.answer?.note ?? '',
        hint: '1,000文字まで',
      },
      {
        name: 'answeredBy',
        label: '回答者(課・氏名)',
        value: x.answer?.by.replace(/ <.*>$/, '') ?? '',
        required: true,
      },
    ],
    x.answer ? '回答を修正する' : '回答する',
    send,
  );
}

const details = (x: ProgressItem) => proposalFacts(x, ['現在の実施状況', x.status || '未設定']);

const earlier = (x: ProgressItem) =>
  x.answer
    ? h(
        'div',
        { class: 'earlier', role: 'note' },
        h('strong', {}, `この確認への回答(${shortWareki(x.answer.on)})`),
        h('p', {}, `${x.answer.status}${x.answer.note ? ` — ${x.answer.note}` : ''}`),
        h('p', { class: 'hint' }, `回答者: ${x.answer.by}`),
      )
    : null;

export function renderProgress(app: HTMLElement, p: ProgressView) {
  const f = progressForm(p, p.statuses, async (v) => {
    const r = await callServer('apiProgressAnswer', {
      token: p.token,
      status: v.status as string,
      note: v.note as string,
      answeredBy: v.answeredBy as string,
    });
    if (r.ok)
      clear(
        app,
        h('h1', {}, 'ご回答ありがとうございました'),
        h(
          'p',
          { class: 'done', role: 'status' },
          r.data.recorded
            ? `${p.id} ${p.title} の実施状況「${v.status}」を記録しました。`
            : `${p.id} ${p.title} には同じ回答「${v.status}」が記録済みです。変更はありません。`,
        ),
        h('p', {}, '修正が必要な場合は、次の確認依頼が届くまで、同じリンクからもう一度回答できます。'),
      );
    else if (isClosed(r)) {
      const notice = closedNotice('実施状況の確認', r.message);
      f.element.replaceWith(notice);
      notice.focus();
    }
    return r;
  });
  clear(
    app,
    h('h1', {}, '実施状況の確認'),
    h('p', { class: 'meta' }, `${p.projectName} ／ ${p.department} 宛 ／ ${p.periodLabel}の確認`),
    h('h2', {}, `${p.id} ${p.title}`),
    details(p),
    earlier(p),
    f.element,
  );
}

/** The inbox's section of progress checks: one entry per carried-over proposal, each with its form. */
export function progressSection(p: InboxView) {
  if (!p.checks.length) return null;
  const entry = (x: ProgressItem) => {
    const status = h('p', { class: 'done', role: 'status', hidden: true });
    const badge = h('span', { class: x.answer ? 'badge answered' : 'badge' }, x.answer ? '回答済' : '未回答');
    const f = progressForm(x, p.statuses, async (v) => {
      const r = await callServer('apiProgressAnswer', {
        inbox: p.token,
        id: x.id,
        status: v.status as string,
        note: v.note as string,
        answeredBy: v.answeredBy as string,
      });
      showEntryResult(r, { status, badge, form: f.element }, '実施状況の確認', {
        recorded: `実施状況「${v.status}」を記録しました。修正する場合は、もう一度送ってください。`,
        same: `同じ回答「${v.status}」が記録済みです。変更はありません。`,
      });
      return r;
    });
    return h(
      'li',
      { class: 'item' },
      h(
        'details',
        {},
        h(
          'summary',
          {},
          h('strong', {}, `${x.id} ${x.title}`),
          ' ',
          badge,
          h('span', { class: 'meta' }, ` 実施状況の確認(${x.periodLabel}) ／ 現在 ${x.status || '未設定'}`),
        ),
        details(x),
        earlier(x),
        f.element,
        status,
      ),
    );
  };
  const open = p.checks.filter((x) => !x.answer).length;
  return h(
    'section',
    {},
    h('h2', {}, '実施状況の確認(継続検討の課題)'),
    h('p', {}, `回答をお待ちしている実施状況の確認 ${open}件、回答済 ${p.checks.length - open}件。`),
    h('ul', { class: 'inbox' }, ...p.checks.map(entry)),
  );
}
