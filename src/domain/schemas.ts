// zod schemas for everything that crosses a boundary: sidebar payloads, settings, imported and
// hand-edited rows. Messages are Japanese and name the field, for the form to show beside it.
// zod/mini (functional checks) rather than zod's classic build: the same core and messages, at a
// fraction of the bundle; English stays the fallback locale, as classic zod sets it by default.

import * as z from 'zod/mini';
import en from 'zod/v4/locales/en.js';
import { MAX_CELL_CHARS, storedLength } from './cell-text';
import { addYears, dateBoundsProblem, type IsoDate, parseDateInput, REIWA_START } from './dates';
import { PROGRESS_FIELD_LABELS, PROPOSAL_FIELD_LABELS } from './history-entry';
import { DEPT_STAGES, JUDGMENTS, KINDS, OUT_OF_SCOPE } from './labels';

export { MAX_CELL_CHARS, storedLength } from './cell-text';

// Messages no schema names itself (an unknown type, a bare number's bounds) stay as classic zod's.
z.config(en());

/**
 * The longest text any form accepts counted in characters alone: one less than a cell holds, so
 * that it fits whatever its first character (asText may add an apostrophe). The sidebar's schemas
 * count exactly what is stored instead (cellText); longer text is refused, never truncated.
 */
export const MAX_TEXT = MAX_CELL_CHARS - 1;

/** Field names as people read them: the register's own labels, plus the forms' extra fields. */
export const FIELD_LABELS: Record<string, string> = {
  ...PROPOSAL_FIELD_LABELS,
  ...PROGRESS_FIELD_LABELS,
  version: '版',
  departments: '所管課',
  effectiveDate: '効力日',
  reason: '理由',
  date: '協議日',
  attendees: '出席者',
  summary: '概要',
  nextSteps: '次の対応',
  query: '検索語',
  asOf: '時点',
};

const label = (key: string) => FIELD_LABELS[key] ?? key;

/** The message for a text that does not fit in its cell as stored (apostrophe included). */
export function cellTooLong(key: string, s: string): string {
  const limit = `${label(key)}は${MAX_CELL_CHARS.toLocaleString('en-US')}文字以内で入力してください`;
  if (s.length > MAX_CELL_CHARS) return `${limit}。`;
  return `${limit}(記号や数字で始まる文章は、文字列として保存する印の1文字を含めて数えます。入力: ${storedLength(s).toLocaleString('en-US')}文字)。`;
}

/**
 * Free text, trimmed, at most `max` characters, and in any case no longer than a cell holds as
 * the add-on stores it (storedLength: a leading apostrophe may be added).
 */
const text = (key: string, max = MAX_CELL_CHARS) => {
  const base = z.string({ error: `${label(key)}は文字列で入力してください。` }).check(z.trim());
  // One cell's worth, counted as stored (storedLength); a field's own lower cap comes first.
  const capped =
    max < MAX_CELL_CHARS
      ? base.check(
          z.maxLength(max, {
            error: `${label(key)}は${max.toLocaleString('en-US')}文字以内で入力してください。`,
          }),
        )
      : base;
  return capped.check(
    z.superRefine((s, ctx) => {
      if (storedLength(s) > MAX_CELL_CHARS) ctx.addIssue({ code: 'custom', message: cellTooLong(key, s) });
    }),
  );
};

/** Free text for a cell of its own (the answer page's comment, for instance), trimmed and capped. */
export const cellText = (key: string, max = MAX_CELL_CHARS) => text(key, max);

const required = (key: string, max = MAX_CELL_CHARS) =>
  text(key, max).check(z.minLength(1, { error: `${label(key)}を入力してください。` }));

const optionalText = (key: string, max = MAX_CELL_CHARS) => z._default(text(key, max), '');

const email = (key: string) =>
  z._default(
    z.string().check(
      z.trim(),
      z.maxLength(254, { error: `${label(key)}は254文字以内で入力してください。` }),
      z.refine((s) => s === '' || /^[^@\s,<>"]+@[^@\s,<>"]+\.[^@\s,<>"]+$/.test(s), {
        error: `${label(key)}はメールアドレスの形式で入力してください。`,
      }),
    ),
    '',
  );

type DateBounds = { min?: IsoDate; minLabel?: string; max?: IsoDate; maxLabel?: string };

/** What a transform is given in zod/mini: the value and the issues so far (no addIssue helper). */
type TransformPayload = z.core.ParsePayload<unknown>;

/** Reads a day and checks it against 令和元年5月1日 and `bounds`; reports an issue naming the field. */
function boundedDate(
  key: string,
  s: string,
  bounds: DateBounds,
  ctx: TransformPayload,
): IsoDate | typeof z.NEVER {
  const refuse = (message: string) => {
    ctx.issues.push({ code: 'custom', message, input: s });
    return z.NEVER;
  };
  const iso = parseDateInput(s);
  if (!iso)
    return refuse(
      `${label(key)}は 2025-11-25、2025/11/25、R7.11.25、令和7年11月25日 のように入力してください。`,
    );
  const min = bounds.min && bounds.min > REIWA_START ? bounds.min : REIWA_START;
  const problem = dateBoundsProblem(label(key), iso, {
    ...bounds,
    min,
    minLabel: min === REIWA_START ? undefined : bounds.minLabel,
  });
  return problem ? refuse(problem) : iso;
}

/**
 * A day as a person writes it (2025-11-25, 2025/11/25, R7.11.25, 令和7年11月25日) → ISO.
 * Every date the add-on accepts is 令和元年5月1日 or later (REIWA_START); `bounds` narrow it
 * further where the schema knows them (協議希望日: from today). Bounds that need the register
 * (today for 効力日, the 年度, the 提示日) are checked by the operations, which have it.
 */
export const dateInput = (key: string, bounds: DateBounds = {}) =>
  z.pipe(
    z.string({ error: `${label(key)}を入力してください。` }).check(z.trim()),
    z.transform((s: string, ctx) => boundedDate(key, s, bounds, ctx)),
  );

/** A day that may be left blank ('' → undefined: the operation takes today). */
const optionalDate = (key: string) =>
  z.optional(
    z.pipe(
      z.string({ error: `${label(key)}は文字列で入力してください。` }).check(z.trim()),
      z.transform((s: string, ctx) => (s === '' ? undefined : boundedDate(key, s, {}, ctx))),
    ),
  );

/**
 * 協議希望日 on the answer page: a day the department proposes to meet, so naturally ahead: from
 * today up to a year from today ('' when none). The answer page builds its schema with today.
 */
export const proposedDateInput = (today: IsoDate) =>
  z._default(
    z.pipe(
      z.string({ error: `${label('proposedDate')}は文字列で入力してください。` }).check(z.trim()),
      z.transform((s: string, ctx) =>
        s === ''
          ? ''
          : boundedDate(
              'proposedDate',
              s,
              { min: today, minLabel: '今日', max: addYears(today, 1), maxLabel: '1年後' },
              ctx,
            ),
      ),
    ),
    '',
  );

const idField = z
  .string({ error: 'IDを指定してください。' })
  .check(z.trim(), z.regex(/^R\d{1,2}-[US]\d{2,}$/, { error: 'IDは R7-U01 のような形式です。' }));
const versionField = z
  .string({ error: '版を指定してください。' })
  .check(z.minLength(1, { error: '版を指定してください。' }));

const kindField = z.enum(KINDS, { error: `種別は「${KINDS.join('」か「')}」から選んでください。` });

export const createProposalSchema = z.object({
  kind: kindField,
  painPoint: required('painPoint'),
  perspective: optionalText('perspective', 100),
  category: required('category', 100),
  title: required('title', 500),
  solution: optionalText('solution'),
  ptMembers: optionalText('ptMembers', 1000),
  ptContact: email('ptContact'),
  notes: optionalText('notes'),
  departments: z._default(z.array(required('department', 200), { error: '所管課を選んでください。' }), []),
});
export type CreateProposalInput = z.input<typeof createProposalSchema>;

export const updateProposalSchema = z.object({
  id: idField,
  version: versionField,
  fields: z.partial(
    z.object({
      painPoint: required('painPoint'),
      perspective: text('perspective', 100),
      category: required('category', 100),
      title: required('title', 500),
      solution: text('solution'),
      ptMembers: text('ptMembers', 1000),
      ptContact: email('ptContact'),
      // Checked against 設定's list by the operation (domain/choices), as every path is.
      implementation: text('implementation', 100),
      notes: text('notes'),
    }),
  ),
});

export const addDepartmentSchema = z.object({
  id: idField,
  version: versionField,
  department: required('department', 200),
});

export const setStageSchema = z.object({
  id: idField,
  version: versionField,
  department: required('department', 200),
  stage: z.enum([...DEPT_STAGES, OUT_OF_SCOPE], {
    error: '段階は 未提示・①・②・④・所管外 から選んでください。',
  }),
  effectiveDate: optionalDate('effectiveDate'),
  reason: optionalText('reason', 2000),
});

export const consultationSchema = z.object({
  id: idField,
  version: versionField,
  department: required('department', 200),
  date: dateInput('date'),
  attendees: optionalText('attendees', 2000),
  summary: required('summary'),
  nextSteps: optionalText('nextSteps'),
});

export const judgmentSchema = z.object({
  id: idField,
  version: versionField,
  judgment: z.union([
    z.literal(''),
    z.enum(JUDGMENTS, { error: '判断は 検討継続・検討終了 から選んでください。' }),
  ]),
  endReason: optionalText('endReason', 100),
  effectiveDate: optionalDate('effectiveDate'),
  reason: optionalText('reason', 2000),
});

export const searchSchema = z.object({
  query: optionalText('query', 200),
  kind: z._default(z.union([z.literal(''), kindField]), ''),
  stage: z._default(z.string(), ''),
  department: optionalText('department', 200),
});

export type FieldErrors = Record<string, string>;

/** zod issues → { field: first Japanese message }, for the form to show beside each field. */
export function fieldErrors(error: z.core.$ZodError): FieldErrors {
  const out: FieldErrors = {};
  for (const issue of error.issues) {
    const key = String(issue.path[issue.path.length - 1] ?? '_');
    const field =
      issue.path[0] === 'fields' || issue.path[0] === 'departments'
        ? String(issue.path[issue.path.length === 1 ? 0 : 1])
        : key;
    const k = /^\d+$/.test(field) ? String(issue.path[0]) : field;
    out[k] ??=
      issue.code === 'invalid_type' && issue.input === undefined
        ? `${label(k)}を入力してください。`
        : issue.message;
  }
  return out;
}

/** A 年度 in a request, with zod's own (English) messages. */
const fiscalYearNumber = () => z.number().check(z.int(), z.gte(2019), z.lte(2100));

export const summaryRequestSchema = z.object({
  asOf: z.optional(dateInput('asOf')),
  fiscalYear: z.optional(fiscalYearNumber()),
  /** Also regenerate the 集計 tab (always done for today). */
  write: z._default(z.boolean(), true),
});

/** apiPublishReport: the day reported on, and the 年度 (設定's when omitted). */
export const publishRequestSchema = z.object({
  asOf: dateInput('asOf'),
  fiscalYear: z.optional(fiscalYearNumber()),
});

/** apiStartFiscalYear: the 年度 to open (the one after 設定's). */
export const startFiscalYearSchema = z.object({
  fiscalYear: z
    .number({ error: '年度(fiscalYear)は西暦の数字で指定してください(例: 2026)。' })
    .check(
      z.int({ error: '年度(fiscalYear)は西暦の数字で指定してください(例: 2026)。' }),
      z.gte(2019, { error: '年度(fiscalYear)は2019以降を指定してください。' }),
      z.lte(2100, { error: '年度(fiscalYear)は2100までを指定してください。' }),
    ),
});
