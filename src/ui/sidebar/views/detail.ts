// One proposal: its departments and what each may do next (from the transitions table), the
// consultation record, the 判断, its fields, its consultations and history.

import { categoriesOf } from '../../../domain/choices';
import { shortWareki, shortWarekiTime } from '../../../domain/dates';
import { type DeptState, type Role, SENT_OUTSIDE } from '../../../domain/labels';
import {
  consultationSchema,
  judgmentSchema,
  setStageSchema,
  updateProposalSchema,
} from '../../../domain/schemas';
import { checkDeptMove } from '../../../domain/transitions';
import { callServer, type DataOf, type Result } from '../../client';
import { clear, h, stageClass } from '../../dom';
import { form, refuseLocally } from '../../forms';
import { validateWith } from '../../validate';
import type { App } from '../main';
import { presentSection } from './present';

type Detail = DataOf<'apiGetProposal'>;

/** 回答期限 of a department's latest request while it waits for an answer; overdue ones flagged. */
const STAGE_LABEL: Record<string, string> = {
  未提示: '未提示に戻す',
  '①': '① 提示した',
  '②': '② 協議した',
  '④': '④ 対応済',
  所管外: '所管外として外す',
  検討継続: '検討継続',
  検討終了: '検討終了',
  '': '判断を取り消す',
};

/** 設定's list, plus the value the proposal has if 設定 no longer lists it (so a save keeps it). */
const withCurrent = (options: string[], current: string) =>
  current && !options.includes(current) ? [...options, current] : options;

function choiceOptions(choices: { to: string; kind: string }[]) {
  return [
    { value: '', label: '選んでください' },
    ...choices.map((c) => ({
      value: `${c.kind}:${c.to}`,
      label: `${STAGE_LABEL[c.to] ?? c.to}${c.kind === 'correction' ? '(訂正)' : ''}`,
    })),
  ];
}

const needsReason = (v: Record<string, string | string[]>) =>
  /^(correction|removal):/.test(String(v.move ?? ''));

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

function render(app: App, d: Detail) {
  const p = d.proposal;
  const today = app.settings.today;
  const reload = (notice: string) => app.go({ id: p.id, notice });

  /** Saves with the version the user saw; a stale refusal offers to re-apply on the latest version. */
  const save = async <T>(send: (version: string) => Promise<Result<T>>, done: string): Promise<Result<T>> => {
    const res = await send(d.version);
    if (res.ok) reload(done);
    else if (res.code === 'stale')
      showStale(app, p.id, res.message, res.current as Record<string, string> | undefined, send, done);
    return res;
  };

  const deptRows = d.departments.map((row) => {
    const f = form(
      [
        {
          name: 'move',
          label: `${row.department}の段階`,
          type: 'select',
          options: choiceOptions(row.choices),
        },
        { name: 'effectiveDate', label: '効力日', type: 'date', value: today, when: (v) => !!v.move },
        { name: 'reason', label: '理由', type: 'textarea', when: needsReason, required: true },
      ],
      '変更する',
      (v) => {
        const [kind, stage] = String(v.move).split(':') as [string, string];
        if (!v.move) return refuseLocally('段階を選んでください。', 'move');
        const base = {
          id: p.id,
          department: row.department,
          stage,
          effectiveDate: v.effectiveDate as string,
          reason: v.reason as string,
        };
        return kind === 'correction'
          ? save(
              (version) => callServer('apiCorrect', { target: 'stage', ...base, version }),
              `${row.department}を訂正しました。`,
            )
          : save(
              (version) => callServer('apiSetDepartmentStage', { ...base, version }),
              `${row.department}を「${stage}」にしました。`,
            );
      },
      {
        validate: (v) => {
          if (!v.move) return {};
          const [, stage] = String(v.move).split(':');
          const payload = {
            id: p.id,
            version: d.version,
            department: row.department,
            stage,
            effectiveDate: v.effectiveDate,
            reason: v.reason,
          };
          const errors = validateWith(setStageSchema, payload, { stage: 'move' });
          // The same transitions table the server asks.
          const check = checkDeptMove(row.stage as DeptState, stage as DeptState, {
            role: app.settings.role as Role,
            reason: String(v.reason ?? ''),
          });
          if (!check.ok) errors[/理由/.test(check.message) ? 'reason' : 'move'] = check.message;
          return errors;
        },
      },
    );
    const dates = [
      row.presentedOn && `提示 ${shortWareki(row.presentedOn)}`,
      row.consultedOn && `協議 ${shortWareki(row.consultedOn)}`,
      row.doneOn && `対応済 ${shortWareki(row.doneOn)}`,
    ]
      .filter(Boolean)
      .join(' / ');
    return h(
      'li',
      { class: 'dept' },
      h(
        'div',
        { class: 'dept-head' },
        h('strong', {}, row.department),
        h('span', { class: stageClass(row.stage) }, row.stage),
      ),
      dates ? h('p', { class: 'hint' }, dates) : null,
      row.removalReason ? h('p', { class: 'hint' }, `所管外の理由: ${row.removalReason}`) : null,
      row.answerKind === '既に対応済み・対応予定' && (row.stage === '①' || row.stage === '②')
        ? h('p', { class: 'suggest' }, '回答に沿って「④ 対応済」にするか検討してください。')
        : null,
      row.answerKind === '所管外' && row.stage !== '所管外'
        ? h('p', { class: 'suggest' }, '回答に沿って「所管外として外す」か検討してください。')
        : null,
      row.stage === '①' || row.stage === '②'
        ? h(
            'p',
            { class: row.requestState === '送信済' || row.requestState === SENT_OUTSIDE ? 'hint' : 'unsent' },
            `依頼状態: ${row.requestState || '未送信'}`,
            d.dueDates[row.department]
              ? `　回答期限: ${shortWareki(d.dueDates[row.department]!)}${d.dueDates[row.department]! < app.settings.today ? '(期限超過)' : ''}`
              : '',
          )
        : null,
      row.answerKind
        ? h(
            'p',
            { class: 'answer' },
            `回答: ${row.answerKind}${row.answerComment ? ` — ${row.answerComment}` : ''}`,
          )
        : null,
      row.choices.length ? h('details', {}, h('summary', {}, '段階を変える'), f.element) : null,
    );
  });

  const present = d.departments
    .filter((x) => x.stage === '①' || x.stage === '②' || x.stage === '④')
    .map((x) => x.department);
  const consult = form(
    [
      { name: 'department', label: '所管課', type: 'select', options: present, required: true },
      { name: 'date', label: '協議日', type: 'date', value: today, required: true },
      { name: 'attendees', label: '出席者' },
      { name: 'summary', label: '概要', type: 'textarea', required: true },
      { name: 'nextSteps', label: '次の対応', type: 'textarea' },
    ],
    '協議を記録',
    (v) =>
      save(
        (version) =>
          callServer('apiRecordConsultation', {
            id: p.id,
            version,
            department: v.department as string,
            date: v.date as string,
            attendees: v.attendees as string,
            summary: v.summary as string,
            nextSteps: v.nextSteps as string,
          }),
        '協議を記録しました。',
      ),
    {
      validate: (v) =>
        validateWith(consultationSchema, {
          id: p.id,
          version: d.version,
          department: v.department,
          date: v.date,
          attendees: v.attendees,
          summary: v.summary,
          nextSteps: v.nextSteps,
        }),
    },
  );

  const available = app.settings.departments.filter(
    (name) => !d.departments.some((x) => x.department === name),
  );
  const addDept = form(
    [{ name: 'department', label: '追加する所管課', type: 'select', options: ['', ...available] }],
    '追加する',
    (v) =>
      save(
        (version) =>
          callServer('apiAddDepartment', { id: p.id, version, department: v.department as string }),
        `${v.department}を追加しました。`,
      ),
  );

  const { lists } = app.settings.settings;
  const judge = form(
    [
      { name: 'move', label: '判断', type: 'select', options: choiceOptions(d.judgmentChoices) },
      {
        name: 'endReason',
        label: '終了理由',
        type: 'select',
        options: withCurrent(['', ...lists.endReasons], p.endReason),
        when: (v) => String(v.move).endsWith(':検討終了'),
        required: true,
      },
      { name: 'effectiveDate', label: '判断日(効力日)', type: 'date', value: today, when: (v) => !!v.move },
      { name: 'reason', label: '訂正の理由', type: 'textarea', when: needsReason, required: true },
    ],
    '判断を記録',
    (v) => {
      const [kind, judgment] = String(v.move).split(':') as [string, string];
      const base = {
        id: p.id,
        judgment: judgment ?? '',
        endReason: v.endReason as string,
        effectiveDate: v.effectiveDate as string,
        reason: v.reason as string,
      };
      if (!v.move) return refuseLocally('判断を選んでください。', 'move');
      return kind === 'correction'
        ? save(
            (version) => callServer('apiCorrect', { target: 'judgment', ...base, version }),
            '判断を訂正しました。',
          )
        : save(
            (version) => callServer('apiRecordJudgment', { ...base, version }),
            `判断「${judgment}」を記録しました。`,
          );
    },
    {
      validate: (v) => {
        if (!v.move) return {};
        const [, judgment] = String(v.move).split(':');
        const payload = {
          id: p.id,
          version: d.version,
          judgment: judgment ?? '',
          endReason: v.endReason,
          effectiveDate: v.effectiveDate,
          reason: v.reason,
        };
        const errors = validateWith(judgmentSchema, payload, { judgment: 'move' });
        if (String(v.move).endsWith(':検討終了') && !v.endReason)
          errors.endReason = '検討終了には終了理由が必要です。';
        return errors;
      },
    },
  );

  const isUser = p.kind === 'ユーザーの困りごと';
  const edit = form(
    [
      ...(isUser
        ? [
            {
              name: 'perspective',
              label: '目線',
              type: 'select' as const,
              options: withCurrent(['', ...lists.perspectives], p.perspective),
              value: p.perspective,
            },
          ]
        : []),
      {
        name: 'category',
        label: '場面・分類',
        type: 'select',
        options: withCurrent(categoriesOf(lists, p.kind), p.category),
        value: p.category,
      },
      { name: 'painPoint', label: '困りごと', type: 'textarea', value: p.painPoint, required: true },
      { name: 'title', label: '課題(提案)名', value: p.title, required: true },
      { name: 'solution', label: '解決策', type: 'textarea', value: p.solution },
      { name: 'ptMembers', label: 'PT担当', value: p.ptMembers },
      { name: 'ptContact', label: 'PT連絡先', value: p.ptContact },
      ...(p.judgment === '検討継続'
        ? [
            {
              name: 'implementation',
              label: '実施状況',
              type: 'select' as const,
              options: withCurrent(['', ...lists.implementation], p.implementation),
              value: p.implementation,
            },
          ]
        : []),
      { name: 'notes', label: '備考', type: 'textarea', value: p.notes },
    ],
    '保存する',
    (v) => {
      const fields: Record<string, string> = {};
      for (const [k, value] of Object.entries(v))
        if (value !== (p as unknown as Record<string, string>)[k]) fields[k] = value as string;
      if (Object.keys(fields).length === 0) return refuseLocally('変更はありません。');
      return save(
        (version) => callServer('apiUpdateProposal', { id: p.id, version, fields }),
        '保存しました。',
      );
    },
    {
      validate: (v) => {
        const fields = Object.fromEntries(
          Object.entries(v).filter(([k, value]) => value !== (p as unknown as Record<string, string>)[k]),
        );
        return validateWith(updateProposalSchema, { id: p.id, version: d.version, fields });
      },
    },
  );

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
      h('ul', { class: 'depts' }, ...deptRows),
      available.length ? h('details', {}, h('summary', {}, '所管課を追加'), addDept.element) : null,
    ),
    present.length
      ? h(
          'section',
          { 'aria-labelledby': 'sec-consult' },
          h('details', {}, h('summary', { id: 'sec-consult' }, '協議を記録'), consult.element),
        )
      : null,
    d.judgmentChoices.length
      ? h(
          'section',
          { 'aria-labelledby': 'sec-judge' },
          h('details', {}, h('summary', { id: 'sec-judge' }, '判断'), judge.element),
        )
      : null,
    h(
      'section',
      { 'aria-labelledby': 'sec-edit' },
      h('details', {}, h('summary', { id: 'sec-edit' }, '内容を編集'), edit.element),
    ),
    h(
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
    ),
    h(
      'section',
      { 'aria-labelledby': 'sec-hist' },
      h('h3', { id: 'sec-hist' }, '変更履歴'),
      h(
        'ul',
        { class: 'log' },
        ...d.history
          .slice()
          .reverse()
          .slice(0, 50)
          .map((x) =>
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
          ),
      ),
    ),
  );
}

/** Someone saved first: show what they changed and let the user re-apply theirs on the latest version. */
function showStale<T>(
  app: App,
  id: string,
  message: string,
  current: Record<string, string> | undefined,
  send: (version: string) => Promise<Result<T>>,
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
          if (again.ok) app.go({ id, notice: done });
          else app.notice(again.message, 'error');
        },
      },
      '最新の内容に再適用する',
    ),
    h('button', { type: 'button', class: 'link', onclick: () => app.go({ id }) }, '最新の内容を表示'),
  );
  app.root.prepend(box);
}
