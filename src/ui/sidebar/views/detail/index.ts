// One proposal in the sidebar: its departments and what each may do next (from the transitions
// table), presenting, the consultation record, the 判断, its fields, its consultations and history.
// Each section is a file of its own; every save returns this same view, drawn again at once.
import { callServer, type Result } from '../../../client';
import { clear, h, stageClass } from '../../../dom';
import type { App } from '../../app';
import { presentSection } from '../present';
import { addDepartmentSection, departmentsList } from './departments';
import { editSection } from './fields';
import { judgmentSection } from './judgment';
import { consultationsSection, historySection, recordConsultationSection } from './records';
import type { Detail, Save, Section } from './shared';

export async function showDetail(app: App, id: string) {
  clear(app.root, h('p', { class: 'loading', role: 'status' }, '読み込み中…'));
  const r = await callServer('apiGetProposal', { id });
  if (!r.ok) {
    clear(
      app.root,
      h('button', { type: 'button', class: 'link back', onclick: () => app.go('search') }, '← 一覧へ'),
      h('p', { class: 'error', role: 'alert' }, r.message),
    );
    return;
  }
  render(app, r.data);
}

/** Draws a proposal from a detail the server already sent (after creating it, for instance). */
export const showDetailOf = (app: App, d: Detail, notice?: string) => render(app, d, notice);

function render(app: App, d: Detail, notice?: string) {
  const p = d.proposal;
  /** A save answers with the proposal as it now stands: drawn at once, no second call. */
  const save: Save = async (send, done) => {
    const res = await send(d.version);
    // A save answers without 回答期限 (no save sends a request): the ones shown still stand.
    if (res.ok) render(app, { ...res.data, deadlines: res.data.deadlines ?? d.deadlines }, done);
    else if (res.code === 'stale')
      showStale(app, p.id, res.message, res.current as Record<string, string> | undefined, send, done);
    return res;
  };
  const section: Section = { app, d, save };
  clear(
    app.root,
    h('button', { type: 'button', class: 'link back', onclick: () => app.go('search') }, '← 一覧へ'),
    h(
      'div',
      { class: 'head' },
      h('span', { class: 'id' }, p.id),
      h('span', { class: stageClass(d.stage) }, d.stage),
      h('span', { class: 'kind' }, p.kind),
    ),
    h('h2', {}, p.title),
    h('p', { class: 'pain' }, p.painPoint),
    p.judgment
      ? h(
          'p',
          { class: 'judgment' },
          `判断: ${p.judgment}${p.judgmentDate ? `(${p.judgmentDate})` : ''}${p.endReason ? ` 終了理由: ${p.endReason}` : ''}`,
        )
      : null,
    presentSection(app, d),
    h(
      'section',
      { 'aria-labelledby': 'sec-depts' },
      h('h3', { id: 'sec-depts' }, '所管課'),
      departmentsList(section),
      addDepartmentSection(section),
    ),
    recordConsultationSection(section),
    judgmentSection(section),
    editSection(section),
    consultationsSection(d),
    historySection(d.proposal.id),
  );
  if (notice) app.notice(notice);
}

/** Someone saved first: show what they changed and let the user re-apply theirs on the latest version. */
function showStale(
  app: App,
  id: string,
  message: string,
  current: Record<string, string> | undefined,
  send: (version: string) => Promise<Result<Detail>>,
  done: string,
) {
  const box = h(
    'div',
    { class: 'stale', role: 'alert' },
    h('p', {}, message),
    current
      ? h('p', { class: 'hint' }, `現在: ${current.title ?? ''} / 判断 ${current.judgment || '未判断'}`)
      : null,
    h(
      'button',
      {
        type: 'button',
        class: 'action',
        onclick: async () => {
          const latest = await callServer('apiGetProposal', { id });
          if (!latest.ok) return app.notice(latest.message, 'error');
          const again = await send(latest.data.version);
          if (again.ok)
            render(app, { ...again.data, deadlines: again.data.deadlines ?? latest.data.deadlines }, done);
          else app.notice(again.message, 'error');
        },
      },
      '最新の内容に再適用する',
    ),
    h('button', { type: 'button', class: 'link', onclick: () => app.go({ id }) }, '最新の内容を表示'),
  );
  app.root.prepend(box);
}
