// What the answer page's views share: the proposal's facts, and what the server's answer does to a
// form (a request or check that no longer takes answers replaces it, saying so and focused; an
// inbox entry shows what was recorded).
import type { Result } from '../client';
import { h } from '../dom';

/** Whether a refusal says the request no longer takes answers (the server marks it `current.closed`). */
export const isClosed = (r: { ok: boolean; current?: unknown }) =>
  !r.ok && (r.current as { closed?: boolean } | undefined)?.closed === true;

/** What replaces a closed request's form: it says so, offers nothing to send, and takes the focus. */
export function closedNotice(what: '協議依頼' | '実施状況の確認', message: string) {
  return h(
    'div',
    { class: 'closed', role: 'alert', tabindex: '-1' },
    h('strong', {}, `この${what}は終了しています`),
    h('p', {}, message),
  );
}

/** An inbox entry after its answer was sent: recorded (or the same again), or closed meanwhile. */
export function showEntryResult(
  r: Result<{ recorded: boolean }>,
  entry: { status: HTMLElement; badge: HTMLElement; form: HTMLElement },
  what: '協議依頼' | '実施状況の確認',
  texts: { recorded: string; same: string },
) {
  if (r.ok) {
    entry.status.hidden = false;
    entry.status.textContent = r.data.recorded ? texts.recorded : texts.same;
    entry.badge.textContent = '回答済';
    entry.badge.className = 'badge answered';
  } else if (isClosed(r)) {
    const notice = closedNotice(what, r.message);
    entry.form.replaceWith(notice);
    notice.focus();
    entry.badge.textContent = '終了';
    entry.badge.className = 'badge closed';
  }
}

/** A proposal as a department reads it: 種別, 困りごと, 解決策, and one line of the view's own. */
export function proposalFacts(
  x: { kind: string; painPoint: string; solution: string },
  last: [label: string, value: string],
) {
  return h(
    'dl',
    {},
    h('dt', {}, '種別'),
    h('dd', {}, x.kind),
    h('dt', {}, '困りごと'),
    h('dd', {}, x.painPoint),
    h('dt', {}, '解決策(提案)'),
    h('dd', {}, x.solution || '(記載なし)'),
    h('dt', {}, last[0]),
    h('dd', {}, last[1]),
  );
}
