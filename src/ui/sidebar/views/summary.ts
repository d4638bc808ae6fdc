// 集計 in the sidebar: the viewer's own view of a day and 年度 (table, lists, corrections, what
// changed after a published report). It never writes over the shared 集計 tab, which always
// shows today for 設定's 年度. The secretariat can publish (確定) the day shown as a report.
import {
  asOfLabel,
  fiscalYearLabel,
  fiscalYearOf,
  monthDay,
  shortFiscalYear,
  warekiDate,
} from '../../../domain/dates';
import { COUNTED_STAGES, STAGE_LIST_LABELS } from '../../../domain/labels';
import { changeLine, reportedHeading } from '../../../domain/published';
import { summaryRequestSchema } from '../../../domain/schemas';
import { callServer, type DataOf } from '../../client';
import { clear, h } from '../../dom';
import { form } from '../../forms';
import { validateWith } from '../../validate';
import type { App } from '../app';

type Figures = DataOf<'apiRebuildSummary'>;

const ROWS = [
  ['user', 'ユーザー'],
  ['staff', '職員'],
  ['total', '合計'],
] as const;

/** 「令和7年度 11月25日時点」; a day outside the 年度 names its own year: 「令和7年度 令和8年12月1日時点」. */
export function asOfCaption(fiscalYear: number, asOf: string): string {
  const day = fiscalYearOf(asOf) === fiscalYear ? asOfLabel(asOf) : `${warekiDate(asOf)}時点`;
  return `${fiscalYearLabel(fiscalYear)} ${day}`;
}

/** '2025-11-28 10:00:00' → '令和7年11月28日 10:00' */
const when = (recordedAt: string) => `${warekiDate(recordedAt.slice(0, 10))} ${recordedAt.slice(11, 16)}`;

/** The seed's progress table, narrowed to the sidebar: kinds down, ①–④ and 計 across. */
function progressTable(s: Figures) {
  const stageKey = { '①': '1', '②': '2', '③': '3', '④': '4' } as const;
  return h(
    'table',
    { class: 'figures' },
    h('caption', {}, `${asOfCaption(s.fiscalYear, s.asOf)}(${s.byKind.total}件)`),
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

/** What changed after each published report whose day this view shows (or every one, for today). */
function reportedNotes(s: Figures) {
  return s.reported.map((r) =>
    h(
      'div',
      { class: 'reported' },
      h('p', {}, `確定した報告「${r.sheet}」(${when(r.publishedAt)} 確定、${r.by})`),
      r.changes.length
        ? h(
            'div',
            { class: 'corrections' },
            h('p', { class: 'warning' }, reportedHeading(r.asOf, r.sheet, r.changes.length)),
            h(
              'ul',
              {},
              r.changes.map((c) => h('li', {}, changeLine(c))),
            ),
          )
        : h('p', { class: 'hint' }, `${monthDay(r.asOf)}時点の報告後の訂正はありません。`),
    ),
  );
}

function lists(s: Figures) {
  if (!('lists' in s) || !s.lists) return [];
  const kinds = [
    ['user', 'ユーザーの困りごと'],
    ['staff', '職員の困りごと'],
  ] as const;
  return kinds.map(([k, label], n) => {
    const rows = s.lists![k];
    const rest = s.listed[k] - rows.length;
    return h(
      'details',
      { class: 'list' },
      h('summary', {}, `(${n + 1})『${label}』(${s.listed[k]}件)`),
      h(
        'table',
        { class: 'listed' },
        h('tr', {}, h('th', {}, 'No.'), h('th', {}, '課題(提案)名'), h('th', {}, '進捗')),
        rows.map((r) =>
          h(
            'tr',
            {},
            h('td', {}, String(r.no)),
            h('td', {}, r.title),
            h('td', {}, STAGE_LIST_LABELS[r.stage]),
          ),
        ),
      ),
      rest > 0 ? h('p', { class: 'hint' }, `ほか${rest}件`) : null,
    );
  });
}

/** 「R7継続検討」: the previous 年度's proposals carried into this one, counted apart. */
function carried(s: Figures) {
  const c = s.carriedOver;
  if (!c) return null;
  const counts = (xs: Record<string, number>) =>
    Object.entries(xs)
      .filter(([, n]) => n > 0)
      .map(([k, n]) => `${k} ${n}件`)
      .join('、') || 'なし';
  return h(
    'details',
    { class: 'list carried' },
    h(
      'summary',
      {},
      `${c.label}(${fiscalYearLabel(c.fromFiscalYear)}から継続、${c.total}件・上表に含めない)`,
    ),
    h('p', { class: 'hint' }, `判断: ${counts(c.byJudgment)}`),
    h('p', { class: 'hint' }, `実施状況: ${counts(c.byStatus)}`),
    h(
      'table',
      { class: 'listed' },
      h('tr', {}, h('th', {}, 'ID'), h('th', {}, '課題(提案)名'), h('th', {}, '進捗'), h('th', {}, '判断')),
      c.rows.map((r) =>
        h(
          'tr',
          {},
          h('td', {}, r.id),
          h('td', {}, r.title),
          h('td', {}, STAGE_LIST_LABELS[r.stage as keyof typeof STAGE_LIST_LABELS] ?? r.stage),
          h('td', {}, r.judgment),
        ),
      ),
    ),
  );
}

export function showSummary(app: App) {
  const { today } = app.settings;
  const year = app.settings.settings.fiscalYear;
  const secretariat = app.settings.role === '事務局';
  const figures = h('div', { 'aria-live': 'polite' });
  const payload = (v: Record<string, string | string[]>) => ({
    asOf: String(v.asOf),
    fiscalYear: Number(v.fiscalYear),
    write: false,
  });
  const render = (s: Figures) => {
    const publish = secretariat
      ? h(
          'button',
          {
            type: 'button',
            class: 'action publish',
            onclick: async (e: Event) => {
              const button = e.currentTarget as HTMLButtonElement;
              button.disabled = true;
              try {
                const r = await callServer('apiPublishReport', { asOf: s.asOf, fiscalYear: s.fiscalYear });
                if (r.ok)
                  app.notice(
                    `報告シート「${r.data.sheet}」を作成しました(${asOfCaption(s.fiscalYear, s.asOf)})。以後この報告は変わりません。`,
                  );
                else app.notice(r.message, 'error');
              } catch (err) {
                app.notice(
                  `確定できませんでした。通信を確認してもう一度お試しください(${(err as Error).message})。`,
                  'error',
                );
              } finally {
                button.disabled = false;
              }
            },
          },
          `この時点で報告を確定(${asOfLabel(s.asOf)})`,
        )
      : null;
    clear(
      figures,
      ...s.warnings.map((w) => h('p', { class: 'warning', role: 'alert' }, w)),
      progressTable(s),
      h(
        'p',
        { class: 'hint' },
        `未提示(表に含めない): ユーザー ${s.notPresented.user}件、職員 ${s.notPresented.staff}件`,
      ),
      s.corrections.length
        ? h(
            'div',
            { class: 'corrections' },
            h(
              'p',
              {},
              `※3 ${asOfLabel(s.asOf)}は変更履歴から再現しており、次の訂正を効力日から反映しています。`,
            ),
            h(
              'ul',
              {},
              s.corrections.map((c) =>
                h(
                  'li',
                  {},
                  `${c.id}${c.department ? ` ${c.department}` : ''}：${c.field} ${c.old}→${c.new || '取消'}(${monthDay(c.effective)}付、${monthDay(c.recordedAt.slice(0, 10))}記録)理由：${c.reason}`,
                ),
              ),
            ),
          )
        : null,
      ...reportedNotes(s),
      ...lists(s),
      carried(s),
      publish,
    );
  };
  const f = form(
    [
      {
        name: 'asOf',
        label: '時点',
        type: 'date',
        value: today,
        required: true,
        hint: 'その日の終わりの状態を変更履歴から再現して、ここに表示します。集計タブ(今日の状態)は変わりません。',
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
    '表示',
    async (v) => {
      const r = await callServer('apiRebuildSummary', payload(v));
      if (r.ok) {
        render(r.data);
        app.notice(
          `${asOfCaption(r.data.fiscalYear, r.data.asOf)}の集計を表示しました(集計タブは変わりません)。`,
        );
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
    secretariat ? startYear(app, year) : null,
  );
}

/**
 * The secretariat opens the next 年度 (設定's 年度 + 1): a second click confirms. Open proposals of
 * earlier years are carried over (継続検討) with their IDs and history; new ones get the new IDs.
 */
function startYear(app: App, year: number) {
  const next = year + 1;
  const status = h('p', { class: 'hint', 'aria-live': 'polite' });
  const confirmButton = h(
    'button',
    {
      type: 'button',
      class: 'action start-year',
      onclick: async (e: Event) => {
        const button = e.currentTarget as HTMLButtonElement;
        button.disabled = true;
        try {
          const r = await callServer('apiStartFiscalYear', { fiscalYear: next });
          if (r.ok) {
            app.settings.settings.fiscalYear = next;
            app.notice(
              `${r.data.label}を開始しました。${fiscalYearLabel(r.data.fromFiscalYear)}までの課題 ${r.data.carriedOver}件を継続検討として引き継ぎました。`,
            );
            status.textContent = `${r.data.label}を開始しました。`;
          } else {
            app.notice(r.message, 'error');
            button.disabled = false;
          }
        } catch (err) {
          app.notice(
            `開始できませんでした。通信を確認してもう一度お試しください(${(err as Error).message})。`,
            'error',
          );
          button.disabled = false;
        }
      },
    },
    `${fiscalYearLabel(next)}を開始する`,
  );
  return h(
    'details',
    { class: 'start-year' },
    h('summary', {}, `新しい年度(${fiscalYearLabel(next)})を開始…`),
    h(
      'p',
      { class: 'hint' },
      `設定の年度を${fiscalYearLabel(next)}にします。新しい課題のIDは ${shortFiscalYear(next)}- から始まります。検討終了でも対応済(④)でもない課題は、IDと履歴をそのままに「${shortFiscalYear(year)}継続検討」として引き継ぎ、集計では別に数えます。削除や番号の振り直しはありません。一度だけ行えます。`,
    ),
    confirmButton,
    status,
  );
}
