// What the answer page's forms share when the server answers: a request or check that no longer
// takes answers replaces its form (saying so, focused), and an inbox entry shows what was recorded.
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
