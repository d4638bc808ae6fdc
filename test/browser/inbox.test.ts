// A department's inbox in a browser: the link in the request email opens a list of the
// department's open requests; one is answered there, and the page says so.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { call, ok, records } from '../helpers';
import { ARTIFACTS, servedSample } from './browser';

const served = servedSample();

describe("a department's inbox", () => {
  it('lists the open requests with 回答期限 and answers one of them', async () => {
    for (const id of ['R7-U05', 'R7-U09']) {
      const { version } = ok(call<{ version: string }>(served.rt, 'apiGetProposal', { id }));
      ok(call(served.rt, 'apiPresent', { id, version, departments: ['デジタル推進課'] }));
    }
    const link = /(http:\/\/\S+\?i=\S+)/.exec(served.rt.state.outbox.at(-1)!.body)![1]!;
    const page = await served.browser.newPage({ viewport: { width: 900, height: 900 } });
    page.setDefaultTimeout(15000);
    await page.goto(link);
    await page.waitForSelector('ul.inbox');
    expect(await page.textContent('h1')).toBe('デジタル推進課 あての協議依頼');
    const summaries = await page.locator('ul.inbox summary').allTextContents();
    expect(summaries.some((s) => s.includes('R7-U05') && s.includes('回答期限 R7.12.9'))).toBe(true);
    const item = page.locator('ul.inbox li', { hasText: 'R7-U09' });
    await item.locator('summary').click();
    await item.locator('select[name="kind"]').selectOption('協議に応じる');
    await item.locator('[name="answeredBy"]').fill('デジタル推進課 佐藤');
    await item.locator('button:has-text("回答する")').click();
    await item.locator('.done:not([hidden])').waitFor();
    expect(await item.locator('.badge').textContent()).toBe('回答済');
    await page.screenshot({ path: join(ARTIFACTS, 'inbox.png') });
    expect(
      records(served.rt, '所管課別進捗').find((r) => r.ID === 'R7-U09' && r.所管課 === 'デジタル推進課'),
    ).toMatchObject({
      回答区分: '協議に応じる',
      回答者: 'デジタル推進課 佐藤',
    });
  }, 60_000);
});
