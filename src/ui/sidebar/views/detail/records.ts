// 協議記録 (record one, list them) and 変更履歴, read from the server only when opened: it is the one
// part of a proposal that grows with the register's age.
import { shortWareki, shortWarekiTime } from '../../../../domain/dates';
import { consultationSchema } from '../../../../domain/schemas';
import { callServer } from '../../../client';
import { clear, h } from '../../../dom';
import { form } from '../../../forms';
import { validateWith } from '../../../validate';
import type { Detail, Section } from './shared';

export function recordConsultationSection({ app, d, save }: Section) {
  const present = d.departments
    .filter((x) => x.stage === '①' || x.stage === '②' || x.stage === '④')
    .map((x) => x.department);
  if (!present.length) return null;
  const payloadOf = (v: Record<string, string | string[]>, version: string) => ({
    id: d.proposal.id,
    version,
    department: v.department as string,
    date: v.date as string,
    attendees: v.attendees as string,
    summary: v.summary as string,
    nextSteps: v.nextSteps as string,
  });
  const consult = form(
    [
      { name: 'department', label: '所管課', type: 'select', options: present, required: true },
      { name: 'date', label: '協議日', type: 'date', value: app.settings.today, required: true },
      { name: 'attendees', label: '出席者' },
      { name: 'summary', label: '概要', type: 'textarea', required: true },
      { name: 'nextSteps', label: '次の対応', type: 'textarea' },
    ],
    '協議を記録',
    (v) =>
      save((version) => callServer('apiRecordConsultation', payloadOf(v, version)), '協議を記録しました。'),
    { validate: (v) => validateWith(consultationSchema, payloadOf(v, d.version)) },
  );
  return h(
    'section',
    { 'aria-labelledby': 'sec-consult' },
    h('details', {}, h('summary', { id: 'sec-consult' }, '協議を記録'), consult.element),
  );
}

export function consultationsSection(d: Detail) {
  return h(
    'section',
    { 'aria-labelledby': 'sec-cons' },
    h('h3', { id: 'sec-cons' }, `協議記録(${d.consultations.length})`),
    h(
      'ul',
      { class: 'log' },
      ...d.consultations.map((c) =>
        h(
          'li',
          {},
          h('strong', {}, `${shortWareki(c.date)} ${c.department}`),
          h('p', {}, c.summary),
          c.nextSteps ? h('p', { class: 'next' }, `次の対応: ${c.nextSteps}`) : null,
          c.attendees ? h('p', { class: 'hint' }, `出席者: ${c.attendees}`) : null,
        ),
      ),
    ),
  );
}

/** The latest 50 changes, newest first, loaded the first time the section is opened. */
export function historySection(id: string) {
  const list = h('ul', { class: 'log' }, h('li', { class: 'hint', role: 'status' }, '読み込み中…'));
  const details = h('details', {}, h('summary', { id: 'sec-hist' }, '変更履歴'), list);
  let loaded = false;
  details.addEventListener('toggle', async () => {
    if (!details.open || loaded) return;
    loaded = true;
    const r = await callServer('apiProposalHistory', { id }).catch((e: Error) => ({
      ok: false as const,
      message: `通信に失敗しました: ${e.message}`,
    }));
    if (!r.ok) {
      loaded = false;
      clear(list, h('li', { class: 'error', role: 'alert' }, r.message));
      return;
    }
    const latest = r.data.slice().reverse().slice(0, 50);
    clear(
      list,
      ...(latest.length
        ? latest.map((x) =>
            h(
              'li',
              {},
              h(
                'span',
                { class: 'hint' },
                `${shortWareki(x.effective)}(記録 ${shortWarekiTime(x.recordedAt)}) ${x.user}`,
              ),
              ` ${x.department ? `${x.department} ` : ''}${x.field}: ${x.old || '—'} → ${x.new || '—'}${x.reason ? `(${x.reason})` : ''}`,
            ),
          )
        : [h('li', { class: 'hint' }, '変更履歴はまだありません。')]),
    );
  });
  return h('section', { 'aria-labelledby': 'sec-hist' }, details);
}
