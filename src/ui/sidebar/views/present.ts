// 提示して協議依頼を送る: choose departments, preview each email, confirm.
import { SENT_OUTSIDE } from '../../../domain/labels';
import { mailErrorText } from '../../../domain/mail-errors';
import { callServer, type DataOf } from '../../client';
import { clear, h } from '../../dom';
import type { App } from '../app';

type Detail = DataOf<'apiGetProposal'>;

export function presentSection(app: App, d: Detail): HTMLElement | null {
  const id = d.proposal.id;
  const firstTime = d.departments.filter(
    (x) =>
      x.stage === '未提示' || (x.stage === '①' && x.requestState !== '送信済' && x.requestState !== '待機'),
  );
  const again = d.departments.filter((x) => (x.stage === '①' || x.stage === '②') && !firstTime.includes(x));
  if (!firstTime.length && !again.length) return null;
  const boxes = h('fieldset', { class: 'checks' }, h('legend', { class: 'visually-hidden' }, '送る所管課'));
  const add = (name: string, label: string, checked: boolean) => {
    const box = h('input', { type: 'checkbox', name: 'present', value: name, id: `present-${name}` });
    box.checked = checked;
    boxes.append(h('label', { class: 'check', for: box.id }, box, label));
  };
  // A department given the proposal by hand before the add-on is offered, not chosen: it has it.
  for (const x of firstTime)
    add(
      x.department,
      `${x.department}(${x.stage === '未提示' ? '未提示' : `①・${x.requestState || '未送信'}`})`,
      x.requestState !== SENT_OUTSIDE,
    );
  for (const x of again) add(x.department, `${x.department}(${x.stage}・新しい協議ラウンド)`, false);
  const date = h('input', {
    type: 'text',
    id: 'present-date',
    value: app.settings.today,
    inputmode: 'numeric',
  });
  const previews = h('div', { class: 'previews', 'aria-live': 'polite' });
  const error = h('p', { class: 'error', role: 'alert' });
  const chosen = () => [...boxes.querySelectorAll<HTMLInputElement>('input:checked')].map((b) => b.value);
  const payload = () => ({
    id,
    version: d.version,
    departments: chosen(),
    effectiveDate: date.value,
    newRound: chosen().some((n) => again.some((x) => x.department === n)),
  });
  let busy = false;
  const send = h('button', { type: 'button', class: 'action', hidden: true }, '送信する');
  const preview = h('button', { type: 'button', class: 'action' }, 'プレビュー');
  preview.addEventListener('click', async () => {
    error.textContent = '';
    clear(previews);
    send.hidden = true;
    const r = await callServer('apiPreviewRequests', payload());
    if (!r.ok) {
      error.textContent = r.message;
      return;
    }
    clear(
      previews,
      ...r.data.map((m) =>
        'error' in m && m.error
          ? h('p', { class: 'error' }, m.error)
          : h(
              'details',
              { class: 'preview', open: r.data.length === 1 },
              h('summary', {}, `${m.department} 宛: ${'subject' in m ? m.subject : ''}`),
              h(
                'p',
                { class: 'hint' },
                `宛先: ${'recipients' in m ? m.recipients : ''} / 返信先: ${'replyTo' in m ? m.replyTo : ''}`,
              ),
              h('pre', { class: 'mail' }, 'body' in m ? (m.body ?? '') : ''),
            ),
      ),
    );
    send.hidden = r.data.some((m) => 'error' in m && m.error);
  });
  send.addEventListener('click', async () => {
    if (busy) return;
    busy = true;
    send.disabled = true;
    send.textContent = '送信中…';
    try {
      const r = await callServer('apiPresent', payload());
      if (!r.ok) error.textContent = r.message;
      else
        app.go({
          id,
          notice: presentNotice(r.data, app.settings.role === '事務局'),
          kind: r.data.failed || r.data.deferred ? 'error' : 'ok',
        });
    } catch (e) {
      error.textContent = `通信に失敗しました: ${(e as Error).message}`;
    } finally {
      busy = false;
      send.disabled = false;
      send.textContent = '送信する';
    }
  });
  return h(
    'section',
    { 'aria-labelledby': 'sec-present' },
    h(
      'details',
      {},
      h('summary', { id: 'sec-present' }, '提示して協議依頼を送る'),
      boxes,
      h('div', { class: 'field' }, h('label', { for: 'present-date' }, '提示日(効力日)'), date),
      error,
      h('div', { class: 'buttons' }, preview, send),
      previews,
    ),
  );
}

/** What presenting did, department by department when a send failed, and what to do next. */
export function presentNotice(
  r: { sent: number; failed: number; deferred: number; failures: { department: string; error: string }[] },
  secretariat: boolean,
): string {
  const parts = [`${r.sent}件の協議依頼を送信しました。`];
  if (r.failed) {
    const who = r.failures.map((f) => `${f.department}(${mailErrorText(f.error)})`).join('、');
    parts.push(`送信できなかった所管課: ${who || `${r.failed}件`}。`);
    parts.push(
      secretariat
        ? '所管課シートのメールアドレスを直してから、送信キューで再送してください。'
        : '所管課シートのメールアドレスを確認し、事務局に再送を依頼してください。',
    );
  }
  if (r.deferred) parts.push(`${r.deferred}件は今日の送信上限のため、次の定期送信で送ります。`);
  return parts.join('');
}
