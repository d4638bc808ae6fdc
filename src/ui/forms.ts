// Forms for a 300 px sidebar: labels tied to inputs, errors beside their field in Japanese, a
// save that cannot be sent twice, and Enter ignored while a Japanese IME is composing.

import type { Result } from './client';
import { h } from './dom';

export interface Field {
  name: string;
  label: string;
  type?: 'text' | 'textarea' | 'select' | 'date' | 'checkboxes';
  options?: readonly (string | { value: string; label: string })[];
  value?: string | string[];
  hint?: string;
  required?: boolean;
  /** Shown only when this returns true for the current values. */
  when?: (values: Record<string, string | string[]>) => boolean;
}

let seq = 0;

export interface FormHandle {
  element: HTMLFormElement;
  values(): Record<string, string | string[]>;
  showErrors(errors: Record<string, string>, message?: string): void;
  /** Puts the focus on the first visible field in error, else on the form's own message. */
  focusFirstError(): void;
}

const optionOf = (o: string | { value: string; label: string }) =>
  typeof o === 'string' ? { value: o, label: o } : o;

export function form(
  fields: Field[],
  submitLabel: string,
  onSubmit: (values: Record<string, string | string[]>) => Promise<Result<unknown> | null>,
  opts: { validate?: (values: Record<string, string | string[]>) => Record<string, string> } = {},
): FormHandle {
  const id = `f${++seq}`;
  const rows = new Map<string, HTMLElement>();
  const inputs = new Map<
    string,
    HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement | HTMLInputElement[]
  >();
  const errors = new Map<string, HTMLElement>();
  const formError = h('p', { class: 'error', role: 'alert' });
  const button = h('button', { type: 'submit', class: 'action' }, submitLabel);
  const el = h('form', { novalidate: true, class: 'form' });

  for (const f of fields) {
    const inputId = `${id}-${f.name}`;
    const err = h('p', { class: 'error', id: `${inputId}-error`, 'aria-live': 'polite' });
    errors.set(f.name, err);
    let control: HTMLElement;
    if (f.type === 'select') {
      const select = h('select', { id: inputId, name: f.name, 'aria-describedby': `${inputId}-error` });
      for (const o of f.options ?? []) {
        const { value, label } = optionOf(o);
        select.append(h('option', { value }, label));
      }
      // Without a value the first option stays chosen, as a person would see it.
      if (f.value !== undefined) select.value = String(f.value);
      inputs.set(f.name, select);
      control = select;
    } else if (f.type === 'checkboxes') {
      const boxes: HTMLInputElement[] = [];
      control = h(
        'fieldset',
        { class: 'checks', id: inputId, 'aria-describedby': `${inputId}-error` },
        h('legend', { class: 'visually-hidden' }, f.label),
      );
      for (const o of f.options ?? []) {
        const { value, label } = optionOf(o);
        const box = h('input', { type: 'checkbox', name: f.name, value, id: `${inputId}-${boxes.length}` });
        box.checked = Array.isArray(f.value) && f.value.includes(value);
        boxes.push(box);
        control.append(h('label', { class: 'check', for: box.id }, box, label));
      }
      inputs.set(f.name, boxes);
    } else if (f.type === 'textarea') {
      const area = h('textarea', {
        id: inputId,
        name: f.name,
        rows: '3',
        'aria-describedby': `${inputId}-error`,
      });
      area.value = String(f.value ?? '');
      inputs.set(f.name, area);
      control = area;
    } else {
      const input = h('input', {
        id: inputId,
        name: f.name,
        type: 'text',
        inputmode: f.type === 'date' ? 'numeric' : undefined,
        placeholder: f.type === 'date' ? '2025-11-25' : undefined,
        'aria-describedby': `${inputId}-error`,
      });
      input.value = String(f.value ?? '');
      inputs.set(f.name, input);
      control = input;
    }
    const row = h(
      'div',
      { class: 'field' },
      f.type === 'checkboxes'
        ? h('span', { class: 'label' }, f.label)
        : h(
            'label',
            { for: inputId },
            f.label,
            f.required ? h('span', { class: 'req', 'aria-hidden': 'true' }, ' *') : null,
          ),
      control,
      f.hint ? h('p', { class: 'hint' }, f.hint) : null,
      err,
    );
    rows.set(f.name, row);
    el.append(row);
  }
  el.append(formError, h('div', { class: 'buttons' }, button));

  const values = () => {
    const out: Record<string, string | string[]> = {};
    for (const [name, input] of inputs) {
      if (Array.isArray(input)) out[name] = input.filter((b) => b.checked).map((b) => b.value);
      else out[name] = input.value;
    }
    return out;
  };
  const refreshVisibility = () => {
    const v = values();
    for (const f of fields) rows.get(f.name)!.hidden = !!f.when && !f.when(v);
  };
  el.addEventListener('change', refreshVisibility);
  refreshVisibility();

  const showErrors = (fieldErrors: Record<string, string>, message = '') => {
    for (const [name, e] of errors) {
      e.textContent = fieldErrors[name] ?? '';
      const input = inputs.get(name);
      if (input && !Array.isArray(input))
        input.setAttribute('aria-invalid', fieldErrors[name] ? 'true' : 'false');
      else if (input)
        rows
          .get(name)!
          .querySelector('fieldset')
          ?.setAttribute('aria-invalid', fieldErrors[name] ? 'true' : 'false');
    }
    const unplaced = Object.entries(fieldErrors)
      .filter(([k]) => !errors.has(k) || rows.get(k)!.hidden)
      .map(([, v]) => v);
    formError.textContent = [
      message && !Object.keys(fieldErrors).some((k) => errors.has(k)) ? message : '',
      ...unplaced,
    ]
      .filter(Boolean)
      .join('\n');
  };

  const focusFirstError = () => {
    for (const f of fields) {
      if (!errors.get(f.name)!.textContent || rows.get(f.name)!.hidden) continue;
      const input = inputs.get(f.name)!;
      (Array.isArray(input) ? input[0] : input)?.focus();
      return;
    }
    if (formError.textContent) {
      formError.tabIndex = -1;
      formError.focus();
    }
  };
  const handle: FormHandle = { element: el, values, showErrors, focusFirstError };
  let busy = false;
  el.addEventListener('keydown', (e) => {
    // Enter that confirms a Japanese IME conversion must not submit the form.
    if (e.key === 'Enter' && (e.isComposing || e.keyCode === 229)) e.preventDefault();
  });
  el.addEventListener('submit', async (e) => {
    e.preventDefault();
    if (busy) return;
    const v = values();
    const clientErrors = opts.validate?.(v) ?? {};
    if (Object.keys(clientErrors).length) {
      handle.showErrors(clientErrors);
      return focusFirstError();
    }
    busy = true;
    let failed = false;
    button.disabled = true;
    const label = button.textContent;
    button.textContent = '保存中…';
    el.setAttribute('aria-busy', 'true');
    try {
      const r = await onSubmit(v);
      if (r && !r.ok) {
        handle.showErrors(r.fieldErrors, r.message);
        failed = true;
      } else if (el.isConnected) handle.showErrors({});
    } catch (err) {
      handle.showErrors({}, `通信に失敗しました: ${(err as Error).message}`);
      failed = true;
    } finally {
      busy = false;
      button.disabled = false;
      button.textContent = label;
      el.removeAttribute('aria-busy');
    }
    // After the button is usable again (a disabled button's form cannot take the focus back).
    if (failed && el.isConnected) focusFirstError();
  });
  return handle;
}

/** A refusal decided in the page (nothing to send), shown like the server's. */
export const refuseLocally = (message: string, field?: string): Promise<Result<never>> =>
  Promise.resolve({ ok: false, code: 'invalid', message, fieldErrors: field ? { [field]: message } : {} });
