// The web app's entry: the answer page (`?t=` a request link, `?p=` a progress-check link) or a
// department's inbox (`?i=` an inbox link). Everything each shows is computed from its signed token
// alone. In add-on mode the token also names its register (server/registers.ts), opened by ID
// before anything is read.
import { Refused } from '../domain/operations';
import { answerPage } from './answers';
import { inboxPage } from './inbox';
import { progressPage } from './progress-checks';
import { openRegisterOfLink } from './registers';

const UNKNOWN_LINK = 'リンクが正しくありません。お手数ですが、メールの送信者(PT担当)にお問い合わせください。';

/** Why the link's register cannot be served ('' when it can: always in bound mode). */
function registerRefusal(token: string): string {
  try {
    return openRegisterOfLink(token) ? '' : UNKNOWN_LINK;
  } catch (e) {
    if (e instanceof Refused) return e.message;
    throw e;
  }
}

export function doGet(e?: GoogleAppsScript.Events.DoGet): GoogleAppsScript.HTML.HtmlOutput {
  const inbox = e?.parameter?.i;
  const progress = e?.parameter?.p;
  const token = String(inbox ?? progress ?? e?.parameter?.t ?? '');
  const refusal = registerRefusal(token);
  const page =
    inbox !== undefined
      ? refusal
        ? { ok: false, inbox: true, message: refusal }
        : inboxPage(token)
      : refusal
        ? { ok: false, message: refusal }
        : progress !== undefined
          ? progressPage(token)
          : answerPage(token);
  // JSON in a script element: '<' escaped so no text from people can close the element.
  const data = `<script id="data" type="application/json">${JSON.stringify(page).replace(/</g, '\\u003c')}</script>`;
  const html = HtmlService.createHtmlOutputFromFile('Answer')
    .getContent()
    .replace('<!--DATA-->', () => data);
  return HtmlService.createHtmlOutput(html)
    .setTitle(
      inbox !== undefined ? '協議依頼の一覧' : progress !== undefined ? '実施状況の確認' : '協議依頼への回答',
    )
    .addMetaTag('viewport', 'width=device-width, initial-scale=1');
}
