// A newcomer's path through `npm start`'s page: the register, the sidebar, a hand edit put back,
// the summary, the outbox and the answer page. Also takes the README's screenshots (docs/).
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Runtime } from '../../local/runtime/runtime';
import { serve } from '../../local/serve';
import { PT, records, sampleRuntime } from '../helpers';
import { ARTIFACTS, launch, sidebar } from './browser';

let browser: Browser;
let rt: Runtime;
let server: Awaited<ReturnType<typeof serve>>;
const DOCS = join(process.cwd(), 'docs');

beforeAll(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  if (process.env.UPDATE_DOCS) mkdirSync(DOCS, { recursive: true });
  browser = await launch();
  rt = sampleRuntime();
  server = await serve({ workbook: '', runtime: rt, save: false });
});
afterAll(async () => {
  await server?.close();
  await browser?.close();
});

/** Every step is saved as an artifact; with UPDATE_DOCS=1 the README's pictures are refreshed (small JPEGs). */
async function shot(page: Page, name: string, readme = false) {
  await page.screenshot({ path: join(ARTIFACTS, `${name}.png`) });
  if (readme && process.env.UPDATE_DOCS)
    await page.screenshot({ path: join(DOCS, `${name}.jpg`), type: 'jpeg', quality: 55 });
}

describe('a newcomer with no Google account', () => {
  it('creates and presents a proposal, records a consultation, sees a bad edit put back, reads the summary and answers the email', async () => {
    const page = await browser.newPage({ viewport: { width: 1200, height: 720 } });
    page.setDefaultTimeout(15000);
    await page.goto(`http://127.0.0.1:${server.port}/`);
    await page.waitForSelector('td[data-cell="A2"]');
    await shot(page, 'register', true);
    await page.selectOption('#user', PT);
    await page.click('.menu summary');
    await page.click('text=サイドバーを開く');
    const frame = await sidebar(page);
    await frame.waitForSelector('.result');
    // Create.
    await frame.click('text=新しい課題を登録');
    await frame.selectOption('select[name="kind"]', '職員の困りごと');
    await frame.selectOption('select[name="categoryStaff"]', '業務効率に関すること');
    await frame.fill('[name="painPoint"]', '出張の旅費精算を紙で回している');
    await frame.fill('[name="title"]', '旅費精算の電子化');
    await frame.check('label:has-text("会計室") input');
    await frame.click('button:has-text("登録する")');
    await frame.waitForSelector('.notice.ok');
    // Present with a preview.
    await frame.click('summary:has-text("提示して協議依頼を送る")');
    await frame.click('button:has-text("プレビュー")');
    await frame.waitForSelector('.preview summary');
    await frame.click('button:has-text("送信する")');
    await frame.waitForSelector('.notice.ok');
    expect(await frame.textContent('.notice')).toContain('1件の協議依頼を送信しました');
    await shot(page, 'sidebar', true);
    // Record a consultation: ① → ②.
    await frame.click('summary:has-text("協議を記録")');
    await frame.fill('[name="summary"]', '電子申請システムの流用を検討');
    await frame.click('button:has-text("協議を記録")');
    // The notice of the step before is still shown until the detail reloads: wait for the new stage.
    await frame.waitForSelector('.head .stage:has-text("②")');
    expect(await frame.textContent('.notice.ok')).toContain('協議を記録しました');
    expect(await frame.textContent('.head .stage')).toBe('②');
    // Type an invalid stage into 所管課別進捗 by hand: it is put back with a note.
    await page.click('nav.tabs button:has-text("所管課別進捗")');
    const row = records(rt, '所管課別進捗').findIndex((r) => r.ID === 'R7-S18') + 2;
    const cell = page.locator(`td[data-cell="C${row}"]`);
    await cell.dblclick();
    await page.locator('.cell-editor').fill('①');
    await page.keyboard.press('Enter');
    await page.waitForSelector('.toast');
    await expect
      .poll(
        async () =>
          (await cell.getAttribute('data-note')) ??
          `(no note: ${await cell.evaluate((e) => e.outerHTML)} ${JSON.stringify(records(rt, '所管課別進捗').find((r) => r.ID === 'R7-S18'))})`,
        {
          timeout: 15000,
        },
      )
      .toContain('事務局がサイドバーから理由を付けて');
    expect(await cell.textContent()).toBe('②');
    await shot(page, 'hand-edit-put-back');
    // The summary tab.
    await page.click('nav.tabs button:has-text("集計")');
    await page.waitForSelector('td:has-text("各課題の進捗状況")');
    await shot(page, 'summary', true);
    // The outbox, the email, the answer page.
    const mail = await browser.newPage({ viewport: { width: 900, height: 800 } });
    mail.setDefaultTimeout(15000);
    await mail.goto(`http://127.0.0.1:${server.port}/outbox`);
    await mail.click('a:has-text("旅費精算の電子化")');
    await mail.waitForSelector('pre.mail-body');
    expect(await mail.textContent('pre.mail-body')).toContain('会計室 ご担当者様');
    await shot(mail, 'outbox-mail');
    await mail.click('pre.mail-body a');
    await mail.waitForSelector('select[name="kind"]');
    expect(await mail.textContent('h2')).toBe('R7-S18 旅費精算の電子化');
    await mail.selectOption('select[name="kind"]', '既に対応済み・対応予定');
    await mail.fill('[name="comment"]', '来年度から電子化の予定です');
    await mail.fill('[name="answeredBy"]', '会計室 佐藤');
    await mail.click('button:has-text("回答する")');
    await mail.waitForSelector('.done');
    await shot(mail, 'answer-page');
    expect(records(rt, '所管課別進捗').find((r) => r.ID === 'R7-S18')).toMatchObject({
      回答区分: '既に対応済み・対応予定',
      回答者: '会計室 佐藤',
    });
    expect(rt.state.outbox.at(-1)!.subject).toBe(
      '【回答】R7-S18 旅費精算の電子化(会計室:既に対応済み・対応予定)',
    );
  });
});
