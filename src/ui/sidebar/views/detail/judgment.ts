// The PT's 判断 (③): made, changed, or undone (a correction: 事務局, with a reason).

import { judgmentSchema } from '../../../../domain/schemas';
import type { JudgmentState } from '../../../../domain/transitions';
import { callServer } from '../../../client';
import { h } from '../../../dom';
import { form, refuseLocally } from '../../../forms';
import { validateWith } from '../../../validate';
import { asFormFields, moveOf, moveOptions, needsReason, type Section, withCurrent } from './shared';

export function judgmentSection({ app, d, save }: Section) {
  if (!d.judgmentChoices.length) return null;
  const p = d.proposal;
  const { lists } = app.settings.settings;
  const payloadOf = (v: Record<string, string | string[]>, version: string) => ({
    id: p.id,
    version,
    judgment: moveOf(v).to as JudgmentState,
    endReason: v.endReason as string,
    effectiveDate: v.effectiveDate as string,
    reason: v.reason as string,
  });
  const judge = form(
    [
      { name: 'move', label: '判断', type: 'select', options: moveOptions(d.judgmentChoices) },
      {
        name: 'endReason',
        label: '終了理由',
        type: 'select',
        options: withCurrent(['', ...lists.endReasons], p.endReason),
        when: (v) => moveOf(v).to === '検討終了',
        required: true,
      },
      {
        name: 'effectiveDate',
        label: '判断日(効力日)',
        type: 'date',
        value: app.settings.today,
        when: (v) => !!v.move,
      },
      { name: 'reason', label: '訂正の理由', type: 'textarea', when: needsReason, required: true },
    ],
    '判断を記録',
    (v) => {
      if (!v.move) return refuseLocally('判断を選んでください。', 'move');
      const { kind, to } = moveOf(v);
      return asFormFields(
        save(
          (version) => callServer('apiRecordJudgment', payloadOf(v, version)),
          kind === 'correction' ? '判断を訂正しました。' : `判断「${to}」を記録しました。`,
        ),
        { judgment: 'move' },
      );
    },
    {
      validate: (v) => {
        if (!v.move) return {};
        const errors = validateWith(judgmentSchema, payloadOf(v, d.version), { judgment: 'move' });
        if (moveOf(v).to === '検討終了' && !v.endReason)
          errors.endReason = '検討終了には終了理由が必要です。';
        return errors;
      },
    },
  );
  return h(
    'section',
    { 'aria-labelledby': 'sec-judge' },
    h('details', {}, h('summary', { id: 'sec-judge' }, '判断'), judge.element),
  );
}
