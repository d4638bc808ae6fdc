// The web app's entry: the answer page. Everything it shows is computed from the token alone.
import { answerPage } from './answers';

export function doGet(e?: GoogleAppsScript.Events.DoGet): GoogleAppsScript.HTML.HtmlOutput {
  const token = String(e?.parameter?.t ?? '');
  const page = answerPage(token);
  // JSON in a script element: '<' escaped so no text from people can close the element.
  const data = `<script id="data" type="application/json">${JSON.stringify(page).replace(/</g, '\\u003c')}</script>`;
  const html = HtmlService.createHtmlOutputFromFile('Answer')
    .getContent()
    .replace('<!--DATA-->', () => data);
  return HtmlService.createHtmlOutput(html)
    .setTitle('協議依頼への回答')
    .addMetaTag('viewport', 'width=device-width, initial-scale=1');
}
