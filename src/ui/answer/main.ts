// The department's answer page: the request as the email showed it, and a form to answer. Opening
// it changes nothing; only submitting records an answer (or a revision of the earlier one).
import { shortWareki, warekiDate } from '../../domain/dates';
import type { ANSWER_KINDS } from '../../domain/labels';
import type { AnswerPage, AnswerView } from '../../server/answers';
import type { InboxItem, InboxPage, InboxView } from '../../server/inbox';
import type { ProgressPage } from '../../server/progress-checks';
import { callServer } from '../client';
import { clear, h } from '../dom';
import { form } from '../forms';
import { progressSection, renderProgress } from './progress';
import { closedNotice, isClosed, proposalFacts, showEntryResult } from './shared';

type AnswerKind = (typeof ANSWER_KINDS)[number];

const app = document.getElementById('app')!;
const page = JSON.parse(
  document.getElementById('data')?.textContent ?? '{"ok":false,"message":"ページを表示できません。"}',
) as AnswerPage | InboxPage | ProgressPage;

/** The answer form (the single answer page's and each inbox entry's): the same fields and checks. */
function answerForm(
  answer: InboxItem['answer'],
  kinds: readonly string[],
  send: (v: Record<string, string | string[]>) => ReturnType<typeof callServer<'apiAnswer'>>,
) {
  return form(
    [
      {
        name: 'kind',
        label: '回答区分',
        type: 'select',
        options: [{ value: '', label: '選んでください' }, ...kinds.map((k) => ({ value: k, label: k }))],
        value: answer?.kind ?? '',
        required: true,
      },
      {
        name: 'proposedDate',
        label: '協議の希望日',
        type: 'date',
        value: answer?.proposedDate ?? '',
        when: (v) => v.kind === '協議に応じる',
        hint: '例: R7.12.10、令和7年12月10日、2025-12-10',
      },
      { name: 'comment', label: 'コメント', type: 'textarea', value: answer?.comment ?? '' },
      {
        name: 'answeredBy',
        label: '回答者(課・氏名)',
        value: answer?.by.replace(/ <.*>$/, '') ?? '',
        required: true,
      },
    ],
    answer ? '回答を修正する' : '回答する',
    send,
  );
}

const deadlineText = (x: InboxItem) =>
  x.sent === 'hand'
    ? `提示日 ${shortWareki(x.presentedOn)}(台帳への登録前に提示)`
    : x.sent === 'queued'
      ? `提示日 ${shortWareki(x.presentedOn)}(依頼メールは送信待ち)`
      : `送信日 ${shortWareki(x.sentOn)} ／ 回答期限 ${shortWareki(x.dueDate)}`;

function renderInbox(p: InboxView) {
  const unanswered = p.items.filter((x) => !x.answer).length;
  const overdue = p.items.filter((x) => x.overdue).length;
  const entry = (x: InboxItem) => {
    const status = h('p', { class: 'done', role: 'status', hidden: true });
    const f = answerForm(x.answer, p.kinds, async (v) => {
      const r = await callServer('apiAnswer', {
        inbox: p.token,
        id: x.id,
        kind: v.kind as AnswerKind,
        comment: v.comment as string,
        answeredBy: v.answeredBy as string,
        proposedDate: v.kind === '協議に応じる' ? (v.proposedDate as string) : '',
      });
      showEntryResult(r, { status, badge, form: f.element }, '協議依頼', {
        recorded: `回答「${v.kind}」を記録し、PT担当と事務局に知らせました。修正する場合は、もう一度送ってください。`,
        same: `同じ回答「${v.kind}」が記録済みです。変更はありません。`,
      });
      return r;
    });
    const badge = h(
      'span',
      { class: x.answer ? 'badge answered' : x.overdue ? 'badge overdue' : 'badge' },
      x.answer ? '回答済' : x.overdue ? `期限超過(${x.overdueDays}営業日)` : '未回答',
    );
    return h(
      'li',
      { class: x.overdue && !x.answer ? 'item overdue' : 'item' },
      h(
        'details',
        {},
        h(
          'summary',
          {},
          h('strong', {}, `${x.id} ${x.title}`),
          x.round > 1 ? ` (第${x.round}回)` : '',
          ' ',
          badge,
          h('span', { class: 'meta' }, ` ${deadlineText(x)}`),
        ),
        proposalFacts(x, ['PT担当', x.ptContact]),
        x.answer
          ? h(
              'div',
              { class: 'earlier', role: 'note' },
              h('strong', {}, `前回の回答(${shortWareki(x.answer.on)})`),
              h('p', {}, `${x.answer.kind}${x.answer.comment ? ` — ${x.answer.comment}` : ''}`),
              h('p', { class: 'hint' }, `回答者: ${x.answer.by}`),
            )
          : null,
        f.element,
        status,
      ),
    );
  };
  clear(
    app,
    h('h1', {}, `${p.department} あての${p.checks.length ? '依頼' : '協議依頼'}`),
    h(
      'p',
      { class: 'meta' },
      `${p.projectName} ／ ${warekiDate(p.today)}時点 ／ 回答期限は送信日から${p.answerDays}営業日 ／ このリンクの有効期限 ${shortWareki(p.expires)}`,
    ),
    p.items.length
      ? h(
          'p',
          {},
          `回答をお待ちしている協議依頼 ${unanswered}件${overdue ? `(うち期限超過 ${overdue}件)` : ''}、回答済 ${p.items.length - unanswered}件。件名を開くと内容と回答欄が表示されます。`,
        )
      : h('p', {}, '現在、回答をお待ちしている協議依頼はありません。'),
    h('ul', { class: 'inbox' }, ...p.items.map(entry)),
    progressSection(p),
  );
}

function render() {
  if ('progress' in page && page.progress === true) {
    if (page.ok) renderProgress(app, page);
    else
      clear(
        app,
        h('h1', {}, page.closed ? 'この実施状況の確認は終了しています' : '実施状況の確認'),
        h('p', { class: 'error', role: 'alert' }, page.message),
      );
    return;
  }
  if ('inbox' in page && page.inbox) {
    if (page.ok) renderInbox(page);
    else clear(app, h('h1', {}, '協議依頼の一覧'), h('p', { class: 'error', role: 'alert' }, page.message));
    return;
  }
  if (!page.ok) {
    clear(
      app,
      h('h1', {}, 'closed' in page && page.closed ? 'この協議依頼は終了しています' : '協議依頼への回答'),
      h('p', { class: 'error', role: 'alert' }, page.message),
    );
    return;
  }
  const p = page as AnswerView;
  const f = answerForm(p.answer, p.kinds, async (v) => {
    const r = await callServer('apiAnswer', {
      token: p.token,
      kind: v.kind as AnswerKind,
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
    else if (isClosed(r)) {
      const notice = closedNotice('協議依頼', r.message);
      f.element.replaceWith(notice);
      notice.focus();
    }
    return r;
  });
  clear(
    app,
    h('h1', {}, '協議依頼への回答'),
    h(
      'p',
      { class: 'meta' },
      `${p.projectName} ／ ${p.department} 宛 ／ 提示日 ${shortWareki(p.presentedOn)}${p.dueDate ? ` ／ 回答期限 ${shortWareki(p.dueDate)}` : ''}`,
    ),
    p.overdue && !p.answer
      ? h(
          'p',
          { class: 'error', role: 'note' },
          `回答期限(${warekiDate(p.dueDate)})を過ぎています。ご回答をお願いします。`,
        )
      : null,
    h('h2', {}, `${p.id} ${p.title}`),
    proposalFacts(p, ['PT担当', p.ptContact]),
    p.answer
      ? h(
          'div',
          { class: 'earlier', role: 'note' },
          h('strong', {}, `前回の回答(${shortWareki(p.answer.on)})`),
          h('p', {}, `${p.answer.kind}${p.answer.comment ? ` — ${p.answer.comment}` : ''}`),
          h('p', { class: 'hint' }, `回答者: ${p.answer.by}`),
        )
      : null,
    p.answer && p.revisableUntil
      ? h('p', { class: 'hint' }, `回答の修正は${warekiDate(p.revisableUntil)}まで受け付けます。`)
      : null,
    f.element,
  );
}

render();
