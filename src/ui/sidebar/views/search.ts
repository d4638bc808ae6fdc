// 検索: by ID, words of the title or pain point, kind, stage or department.

import type { Kind } from '../../../domain/labels';
import { KINDS, STAGES } from '../../../domain/labels';
import { callServer } from '../../client';
import { clear, h, stageClass } from '../../dom';
import type { App } from '../app';
import { showQueue } from './queue';
import { showSummary } from './summary';

export function showSearch(app: App) {
  const query = h('input', { id: 'q', type: 'search', placeholder: 'ID・課題名・困りごとの語' });
  const kind = h(
    'select',
    { id: 'q-kind' },
    h('option', { value: '' }, 'すべての種別'),
    ...KINDS.map((k) => h('option', { value: k }, k)),
  );
  const stage = h(
    'select',
    { id: 'q-stage' },
    h('option', { value: '' }, 'すべての進捗'),
    ...STAGES.map((s) => h('option', { value: s }, s)),
  );
  const dept = h(
    'select',
    { id: 'q-dept' },
    h('option', { value: '' }, 'すべての所管課'),
    ...app.settings.departments.map((d) => h('option', { value: d }, d)),
  );
  const results = h('ul', { class: 'results', 'aria-live': 'polite' });
  const status = h('p', { class: 'hint' });
  let timer = 0;
  const run = async () => {
    status.textContent = '検索中…';
    const r = await callServer('apiSearch', {
      query: query.value,
      kind: kind.value as Kind | '',
      stage: stage.value,
      department: dept.value,
    });
    if (!r.ok) {
      status.textContent = r.message;
      return;
    }
    status.textContent = `${r.data.total}件`;
    clear(
      results,
      ...r.data.items.map((p) =>
        h(
          'li',
          {},
          h(
            'button',
            { type: 'button', class: 'result', onclick: () => app.go({ id: p.id }) },
            h('span', { class: 'id' }, p.id),
            h('span', { class: stageClass(p.stage) }, p.stage),
            h('span', { class: 'title' }, p.title),
          ),
        ),
      ),
    );
  };
  const later = () => {
    clearTimeout(timer);
    timer = window.setTimeout(run, 250);
  };
  query.addEventListener('input', later);
  for (const s of [kind, stage, dept]) s.addEventListener('change', run);
  clear(
    app.root,
    h(
      'div',
      { class: 'toolbar' },
      h('button', { type: 'button', class: 'create', onclick: () => app.go('create') }, '新しい課題を登録'),
      h('button', { type: 'button', class: 'link', onclick: () => showSummary(app) }, '集計'),
      app.settings.role === '事務局'
        ? h('button', { type: 'button', class: 'link', onclick: () => showQueue(app) }, '送信キューを見る')
        : null,
    ),
    h('label', { for: 'q', class: 'visually-hidden' }, '検索'),
    query,
    h(
      'div',
      { class: 'filters' },
      h('label', { for: 'q-kind', class: 'visually-hidden' }, '種別'),
      kind,
      h('label', { for: 'q-stage', class: 'visually-hidden' }, '進捗'),
      stage,
      h('label', { for: 'q-dept', class: 'visually-hidden' }, '所管課'),
      dept,
    ),
    status,
    results,
  );
  run();
}
