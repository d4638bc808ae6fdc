// The web app's entry: the answer page (`?t=` a request link) or a department's inbox (`?i=` an
// inbox link). Everything either shows is computed from its signed token alone.
import { answerPage } from './answers';
import { inboxPage } from './inbox';

export function doGet(e?: GoogleAppsScript.Events.DoGet): GoogleAppsScript.HTML.HtmlOutput {
  const inbox = e?.parameter?.i;
  const page = inbox !== undefined ? inboxPage(String(inbox)) : answerPage(String(e?.parameter?.t ?? ''));
  // JSON in a script element: '<' escaped so no text from people can close the element.
  const data = `<script id="data" type="application/json">${JSON.stringify(page).replace(/</g, '\\u003c')}</script>`;
  const html = HtmlService.createHtmlOutputFromFile('Answer')
    .getContent()
    .replace('<!--DATA-->', () => data);
  return HtmlService.createHtmlOutput(html)
    .setTitle(inbox !== undefined ? '協議依頼の一覧' : '協議依頼への回答')
    .addMetaTag('viewport', 'width=device-width, initial-scale=1');
}
