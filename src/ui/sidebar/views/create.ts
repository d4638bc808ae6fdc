// 新規登録: kind first, then only the fields and choices that fit it; a warning (never a block)
// when a similar proposal exists.
import { KINDS, type Kind } from '../../../domain/labels';
import { createProposalSchema, fieldErrors } from '../../../domain/schemas';
import { callServer } from '../../client';
import { clear, h } from '../../dom';
import { form } from '../../forms';
import type { App } from '../app';
import { showDetailOf } from './detail/index';

export function showCreate(app: App) {
  const { lists } = app.settings.settings;
  const isUser = (v: Record<string, string | string[]>) => v.kind === 'ユーザーの困りごと';
  const similar = h('div', { class: 'similar', 'aria-live': 'polite' });
  const f = form(
    [
      {
        name: 'kind',
        label: '種別',
        type: 'select',
        options: [{ value: '', label: '選んでください' }, ...KINDS.map((k) => ({ value: k, label: k }))],
        required: true,
      },
      {
        name: 'perspective',
        label: '目線',
        type: 'select',
        options: ['', ...lists.perspectives],
        when: isUser,
      },
      {
        name: 'category',
        label: '場面・分類',
        type: 'select',
        options: ['', ...lists.userCategories],
        when: isUser,
        required: true,
      },
      {
        name: 'categoryStaff',
        label: '分類',
        type: 'select',
        options: ['', ...lists.staffCategories],
        when: (v) => v.kind === '職員の困りごと',
        required: true,
      },
      { name: 'painPoint', label: '困りごと', type: 'textarea', required: true, when: (v) => !!v.kind },
      { name: 'title', label: '課題(提案)名', required: true, when: (v) => !!v.kind },
      { name: 'solution', label: '解決策', type: 'textarea', when: (v) => !!v.kind },
      {
        name: 'departments',
        label: '所管課',
        type: 'checkboxes',
        options: app.settings.departments,
        value: [],
        when: (v) => !!v.kind,
      },
      { name: 'ptMembers', label: 'PT担当', when: (v) => !!v.kind },
      { name: 'ptContact', label: 'PT連絡先(メール)', value: app.settings.email, when: (v) => !!v.kind },
      { name: 'notes', label: '備考', type: 'textarea', when: (v) => !!v.kind },
    ],
    '登録する',
    async (v) => {
      const r = await callServer('apiCreateProposal', payload(v));
      if (r.ok) showDetailOf(app, r.data, `${r.data.proposal.id} を登録しました。`);
      return r;
    },
    {
      validate: (v) => {
        const parsed = createProposalSchema.safeParse(payload(v));
        return parsed.success ? {} : fieldErrors(parsed.error);
      },
    },
  );
  const payload = (v: Record<string, string | string[]>) => ({
    kind: v.kind as Kind,
    perspective: isUser(v) ? (v.perspective as string) : '',
    category: (isUser(v) ? v.category : v.categoryStaff) as string,
    painPoint: v.painPoint as string,
    title: v.title as string,
    solution: v.solution as string,
    departments: v.departments as string[],
    ptMembers: v.ptMembers as string,
    ptContact: v.ptContact as string,
    notes: v.notes as string,
  });
  // The staff kind's category is sent as `category`: show its error beside the staff field.
  const show = f.showErrors;
  f.showErrors = (errors, message) =>
    show(
      errors.category && f.values().kind === '職員の困りごと'
        ? { ...errors, categoryStaff: errors.category }
        : errors,
      message,
    );
  const checkSimilar = async () => {
    const v = f.values();
    if (!v.title && !v.painPoint) return;
    const r = await callServer('apiSimilar', { title: v.title as string, painPoint: v.painPoint as string });
    if (!r.ok || r.data.length === 0) return clear(similar);
    clear(
      similar,
      h('p', {}, '似た課題がすでにあります(登録はできます):'),
      h(
        'ul',
        {},
        ...r.data.map((s) =>
          h(
            'li',
            {},
            h(
              'button',
              { type: 'button', class: 'link', onclick: () => app.go({ id: s.id }) },
              `${s.id} ${s.title}`,
            ),
          ),
        ),
      ),
    );
  };
  f.element.addEventListener('focusout', (e) => {
    const name = (e.target as HTMLInputElement).name;
    if (name === 'title' || name === 'painPoint') checkSimilar();
  });
  clear(
    app.root,
    h('button', { type: 'button', class: 'link back', onclick: () => app.go('search') }, '← 一覧へ'),
    h('h2', {}, '新しい課題'),
    similar,
    f.element,
  );
}
