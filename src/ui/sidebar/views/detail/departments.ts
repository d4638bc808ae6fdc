// The departments of a proposal: each one's card (stage, dates, request, answer) and the form that
// moves its stage; adding a department.
import { shortWareki } from '../../../../domain/dates';
import type { DeptState, Role } from '../../../../domain/labels';
import { SENT_OUTSIDE } from '../../../../domain/labels';
import { setStageSchema } from '../../../../domain/schemas';
import { checkDeptMove } from '../../../../domain/transitions';
import { callServer } from '../../../client';
import { h, stageClass } from '../../../dom';
import { form, refuseLocally } from '../../../forms';
import { validateWith } from '../../../validate';
import { asFormFields, type Detail, moveOf, moveOptions, needsReason, type Section } from './shared';

type Row = Detail['departments'][number];

function stageForm({ app, d, save }: Section, row: Row) {
  const payloadOf = (v: Record<string, string | string[]>, version: string) => ({
    id: d.proposal.id,
    version,
    department: row.department,
    stage: moveOf(v).to as DeptState,
    effectiveDate: v.effectiveDate as string,
    reason: v.reason as string,
  });
  return form(
    [
      { name: 'move', label: `${row.department}の段階`, type: 'select', options: moveOptions(row.choices) },
      {
        name: 'effectiveDate',
        label: '効力日',
        type: 'date',
        value: app.settings.today,
        when: (v) => !!v.move,
      },
      { name: 'reason', label: '理由', type: 'textarea', when: needsReason, required: true },
    ],
    '変更する',
    (v) => {
      if (!v.move) return refuseLocally('段階を選んでください。', 'move');
      const { kind, to } = moveOf(v);
      return asFormFields(
        save(
          (version) => callServer('apiSetDepartmentStage', payloadOf(v, version)),
          kind === 'correction'
            ? `${row.department}を訂正しました。`
            : `${row.department}を「${to}」にしました。`,
        ),
        { stage: 'move' },
      );
    },
    {
      validate: (v) => {
        if (!v.move) return {};
        const errors = validateWith(setStageSchema, payloadOf(v, d.version), { stage: 'move' });
        // The same transitions table the server asks.
        const check = checkDeptMove(row.stage as DeptState, moveOf(v).to as DeptState, {
          role: app.settings.role as Role,
          reason: String(v.reason ?? ''),
        });
        if (!check.ok) errors[check.field ?? 'move'] = check.message;
        return errors;
      },
    },
  );
}

/** 回答期限 of the department's latest request while it waits for an answer; overdue ones flagged. */
function requestLine(d: Detail, row: Row) {
  const waiting = row.requestState === '送信済' && !row.answerKind;
  const due = waiting ? d.deadlines?.[row.department] : undefined;
  return h(
    'p',
    { class: row.requestState === '送信済' || row.requestState === SENT_OUTSIDE ? 'hint' : 'unsent' },
    `依頼状態: ${row.requestState || '未送信'}`,
    due ? `　回答期限: ${shortWareki(due.dueDate)}${due.overdue ? '(期限超過)' : ''}` : '',
  );
}

export function departmentsList(section: Section) {
  const { d } = section;
  return h(
    'ul',
    { class: 'depts' },
    ...d.departments.map((row) => {
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
        row.stage === '①' || row.stage === '②' ? requestLine(d, row) : null,
        row.answerKind
          ? h(
              'p',
              { class: 'answer' },
              `回答: ${row.answerKind}${row.answerComment ? ` — ${row.answerComment}` : ''}`,
            )
          : null,
        row.choices.length
          ? h('details', {}, h('summary', {}, '段階を変える'), stageForm(section, row).element)
          : null,
      );
    }),
  );
}

export function addDepartmentSection({ app, d, save }: Section) {
  const available = app.settings.departments.filter(
    (name) => !d.departments.some((x) => x.department === name),
  );
  if (!available.length) return null;
  const add = form(
    [{ name: 'department', label: '追加する所管課', type: 'select', options: ['', ...available] }],
    '追加する',
    (v) =>
      save(
        (version) =>
          callServer('apiAddDepartment', { id: d.proposal.id, version, department: v.department as string }),
        `${v.department}を追加しました。`,
      ),
  );
  return h('details', {}, h('summary', {}, '所管課を追加'), add.element);
}
