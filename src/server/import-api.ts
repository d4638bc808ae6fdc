// 取込: a CSV (UTF-8, with or without BOM, CRLF or LF) imported all or nothing. Never sends email.

import * as z from 'zod/mini';
import { applyImport, type ImportProblem, readHeader, validateRows } from '../domain/import';
import { Refused } from '../domain/operations';
import { scriptProps, sidebarCaller } from './context';
import { mutateAs, parseOrRefuse } from './mutate';

const importSchema = z.object({
  csv: z
    .string({ error: 'CSVの内容がありません。' })
    .check(
      z.minLength(1, { error: 'CSVの内容がありません。' }),
      z.maxLength(20_000_000, { error: 'ファイルが大きすぎます。' }),
    ),
  fileName: z._default(z.string(), ''),
});

function refuse(problems: ImportProblem[]): never {
  const shown = problems.slice(0, 30).map((p) => `${p.row}行目「${p.column}」: ${p.message}`);
  const more = problems.length > shown.length ? `\n…ほか${problems.length - shown.length}件` : '';
  throw new Refused(
    'invalid',
    `取り込めませんでした(${problems.length}件の問題)。何も書き込んでいません。\n${shown.join('\n')}${more}`,
    Object.fromEntries(problems.map((p) => [`${p.row}:${p.column}`, p.message])),
  );
}

export function importCsv(payload: z.input<typeof importSchema>) {
  const email = sidebarCaller();
  const { csv } = parseOrRefuse(importSchema, payload);
  const table = Utilities.parseCsv(csv.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n'));
  if (table.length < 2)
    throw new Refused('invalid', 'CSVに見出し行とデータ行が必要です。', {
      csv: 'CSVに見出し行とデータ行が必要です。',
    });
  const { index, problems } = readHeader(table[0]!);
  if (problems.length) refuse(problems);
  return mutateAs(email, '取込', ({ draft }) => {
    const { settings } = draft.state;
    const checked = validateRows(table.slice(1), index, {
      fiscalYear: settings.fiscalYear,
      today: draft.actor.today,
      departments: draft.state.departments.map((d) => d.name),
      existingIds: draft.state.proposals.map((p) => p.id),
      lists: settings.lists,
    });
    if (checked.problems.length) refuse(checked.problems);
    const props = scriptProps();
    const issued = applyImport(draft, checked.rows, (prefix) =>
      Number(props.getProperty(`ISSUED:${prefix}`) ?? 0),
    );
    for (const [prefix, n] of issued) draft.issued.set(prefix, n);
    return { imported: checked.rows.length, ids: draft.newProposals.map((p) => p.id) };
  });
}
