// Publishing a report (確定): the secretariat freezes 集計 for a day and 年度 into a sheet of its
// own (報告 R7.11.25), protected warning-only, and the figures into one sealed 変更履歴 row. What
// was published is read back only from verified history rows, never from the published sheet.
import type * as z from 'zod/mini';
import { warekiDate } from '../domain/dates';
import { Refused } from '../domain/operations';
import { PUBLISH_FIELD, publicationJson, reportSheetName } from '../domain/published';
import { publishRequestSchema } from '../domain/schemas';
import { SHEETS } from '../sheets/layout';
import { theRegister } from '../sheets/register-scope';
import { writeReportSheet } from '../sheets/summary-sheet';
import { scriptProps, sidebarCaller } from './context';
import { mutateAs, parseOrRefuse } from './mutate';
import { PROP_PUBLISHED, readIndex } from './published';
import { computeSummary } from './summary-refresh';

const zoneLabel = (tz: string) => (tz === 'Asia/Tokyo' ? '日本時間' : tz);

/** apiPublishReport: 事務局 only. Writes 報告 R7.11.25 (or (2)…) and records it in 変更履歴. */
export function publishReportApi(payload: z.input<typeof publishRequestSchema>) {
  const email = sidebarCaller();
  const input = parseOrRefuse(publishRequestSchema, payload);
  const ss = theRegister();
  let created: GoogleAppsScript.Spreadsheet.Sheet | null = null;
  let indexBefore: string | null = null;
  try {
    return mutateAs(email, 'サイドバー', ({ reg, draft }) => {
      if (draft.actor.role !== '事務局')
        throw new Refused(
          'forbidden',
          '報告の確定は事務局だけができます。確定が必要なときは事務局に依頼してください。',
        );
      const fiscalYear = input.fiscalYear ?? reg.state.settings.fiscalYear;
      const summary = computeSummary(ss, { asOf: input.asOf, fiscalYear, reported: false }, reg.state);
      indexBefore = scriptProps().getProperty(PROP_PUBLISHED);
      const index = readIndex();
      const taken = new Set([...ss.getSheets().map((s) => s.getName()), ...index.map((e) => e.sheet)]);
      const name = reportSheetName(input.asOf, taken);
      const history = ss.getSheetByName(SHEETS.history)!;
      const row = history.getLastRow() + 1 + draft.history.length;
      draft.log('', '', PUBLISH_FIELD, '', publicationJson(summary, name), {
        effective: input.asOf,
        reason: `${warekiDate(input.asOf)}時点の集計を報告として確定(シート「${name}」)`,
      });
      created = ss.insertSheet(name, ss.getSheets().length);
      writeReportSheet(
        created,
        summary,
        `確定：${warekiDate(draft.actor.recordedAt.slice(0, 10))} ${draft.actor.recordedAt.slice(11, 16)}(${zoneLabel(ss.getSpreadsheetTimeZone())}) ${email}。この報告はアドオンが書き換えません。確定後に記録された訂正は、集計タブとサイドバーに一覧で示します。`,
      );
      created
        .protect()
        .setWarningOnly(true)
        .setDescription(`${name}は確定した報告です。変更しないでください。`);
      scriptProps().setProperty(
        PROP_PUBLISHED,
        JSON.stringify([...index, { sheet: name, asOf: input.asOf, fiscalYear, row }]),
      );
      const { lists: _lists, ...figures } = summary;
      return { sheet: name, asOf: input.asOf, fiscalYear, publishedAt: draft.actor.recordedAt, figures };
    });
  } catch (e) {
    // Nothing recorded: the sheet written for it goes too, so a retry is not numbered (2).
    const sheet = created as GoogleAppsScript.Spreadsheet.Sheet | null;
    if (sheet) {
      ss.deleteSheet(sheet);
      scriptProps().setProperty(PROP_PUBLISHED, indexBefore ?? '[]');
    }
    throw e;
  }
}
