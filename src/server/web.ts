// The web app's entry: the answer page (`?t=` a request link, `?p=` a progress-check link) or a
// department's inbox (`?i=` an inbox link). Everything each shows is computed from its signed token alone.
import { answerPage } from './answers';
import { inboxPage } from './inbox';
import { progressPage } from './progress-checks';

export function doGet(e?: GoogleAppsScript.Events.DoGet): GoogleAppsScript.HTML.HtmlOutput {
  const inbox = e?.parameter?.i;
  const progress = e?.parameter?.p;
  const page =
    inbox !== undefined
      ? inboxPage(String(inbox))
      : progress !== undefined
        ? progressPage(String(progress))
        : answerPage(String(e?.parameter?.t ?? ''));
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
