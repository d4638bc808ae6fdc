// 内容を編集: the proposal's own fields; lists from 設定 (domain/choices), only changed fields sent.
import { categoriesOf } from '../../../../domain/choices';
import type { EditableField } from '../../../../domain/model';
import { updateProposalSchema } from '../../../../domain/schemas';
import { callServer } from '../../../client';
import { h } from '../../../dom';
import { type Field, form, refuseLocally } from '../../../forms';
import { validateWith } from '../../../validate';
import { type Section, withCurrent } from './shared';

export function editSection({ app, d, save }: Section) {
  const p = d.proposal;
  const { lists } = app.settings.settings;
  const fields: Field[] = [
    ...(p.kind === 'ユーザーの困りごと'
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
  ];
  /** The fields whose value differs from the proposal's: all a save sends. */
  const changed = (v: Record<string, string | string[]>) => {
    const out: Partial<Record<EditableField, string>> = {};
    for (const f of fields) {
      const key = f.name as EditableField;
      if (v[key] !== undefined && v[key] !== p[key]) out[key] = v[key] as string;
    }
    return out;
  };
  const edit = form(
    fields,
    '保存する',
    (v) => {
      const fields = changed(v);
      if (Object.keys(fields).length === 0) return refuseLocally('変更はありません。');
      return save(
        (version) => callServer('apiUpdateProposal', { id: p.id, version, fields }),
        '保存しました。',
      );
    },
    {
      validate: (v) =>
        validateWith(updateProposalSchema, { id: p.id, version: d.version, fields: changed(v) }),
    },
  );
  return h(
    'section',
    { 'aria-labelledby': 'sec-edit' },
    h('details', {}, h('summary', { id: 'sec-edit' }, '内容を編集'), edit.element),
  );
}
