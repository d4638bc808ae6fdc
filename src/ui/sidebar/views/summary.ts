// 集計: rebuilds the 集計 tab as it stood at the end of a day, for a 年度, and shows its main table.
import { asOfLabel, fiscalYearLabel } from '../../../domain/dates';
import { COUNTED_STAGES } from '../../../domain/labels';
import { summaryRequestSchema } from '../../../domain/schemas';
import { callServer, type DataOf } from '../../client';
import { clear, h } from '../../dom';
import { form } from '../../forms';
import { validateWith } from '../../validate';
import type { App } from '../main';

type Figures = DataOf<'apiRebuildSummary'>;

const ROWS = [
  ['user', 'ユーザー'],
  ['staff', '職員'],
  ['total', '合計'],
] as const;

/** The seed's progress table, narrowed to the sidebar: kinds down, ①–④ and 計 across. */
function progressTable(s: Figures) {
  const stageKey = { '①': '1', '②': '2', '③': '3', '④': '4' } as const;
  return h(
    'table',
    { class: 'figures' },
    h('caption', {}, `${fiscalYearLabel(s.fiscalYear)} ${asOfLabel(s.asOf)}(${s.byKind.total}件)`),
    h(
      'tr',
      {},
      h('th', { scope: 'col' }, '種別'),
      ...COUNTED_STAGES.map((st) => h('th', { scope: 'col' }, st)),
      h('th', { scope: 'col' }, '計'),
    ),
    ...ROWS.map(([key, label]) =>
      h(
        'tr',
        {},
        h('th', { scope: 'row' }, label),
        ...COUNTED_STAGES.map((st) => h('td', {}, String(s.progress[key][stageKey[st]]))),
        h('td', {}, String(s.progress[key].total)),
      ),
    ),
  );
}

export function showSummary(app: App) {
  const { today } = app.settings;
  const year = app.settings.settings.fiscalYear;
  const figures = h('div', { 'aria-live': 'polite' });
  const payload = (v: Record<string, string | string[]>) => ({
    asOf: String(v.asOf),
    fiscalYear: Number(v.fiscalYear),
  });
  const f = form(
    [
      {
        name: 'asOf',
        label: '時点',
        type: 'date',
        value: today,
        required: true,
        hint: 'その日の終わりの状態を変更履歴から再現します。今日なら現在の台帳のままです。',
      },
      {
        name: 'fiscalYear',
        label: '年度',
        type: 'select',
        options: [year - 2, year - 1, year, year + 1].map((y) => ({
          value: String(y),
          label: fiscalYearLabel(y),
        })),
        value: String(year),
      },
    ],
    '集計タブを更新',
    async (v) => {
      const r = await callServer('apiRebuildSummary', payload(v));
      if (r.ok) {
        const s = r.data;
        clear(
          figures,
          progressTable(s),
          h(
            'p',
            { class: 'hint' },
            `未提示(表に含めない): ユーザー ${s.notPresented.user}件、職員 ${s.notPresented.staff}件`,
          ),
        );
        app.notice(`集計タブを更新しました(${asOfLabel(s.asOf)})。`);
      }
      return r;
    },
    { validate: (v) => validateWith(summaryRequestSchema, payload(v)) },
  );
  clear(
    app.root,
    h('button', { type: 'button', class: 'link back', onclick: () => app.go('search') }, '← 一覧へ'),
    h('h2', {}, '集計'),
    f.element,
    figures,
  );
}
