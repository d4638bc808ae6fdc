// The answer page in a browser: a failed submit puts the focus on the first field in error (marked
// aria-invalid, its message announced), and a request closed while the page was open, or opened
// after it closed, says it is closed and offers no form.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { call, ok, records } from '../helpers';
import { ARTIFACTS, servedSample } from './browser';

const served = servedSample();

const version = (id: string) => ok(call<{ version: string }>(served.rt, 'apiGetProposal', { id })).version;

describe('the answer page', () => {
  it('focuses the first field in error, and a request closed meanwhile offers no form', async () => {
    ok(call(served.rt, 'apiPresent', { id: 'R7-U03', version: version('R7-U03'), departments: ['保護課'] }));
    const mail = served.rt.state.outbox.find((m) => m.to === 'hogo@example.jp')!;
    const link = /(http:\/\/\S+\?t=\S+)/.exec(mail.body)![1]!;
    const page = await served.browser.newPage({ viewport: { width: 800, height: 900 } });
    page.setDefaultTimeout(15000);
    await page.goto(link);
    await page.waitForSelector('form');

    // Nothing chosen, no name: refused; the focus goes to 回答区分, the first field in error.
    await page.locator('[name="comment"]').focus();
    await page.locator('button:has-text("回答する")').click();
    await page.waitForFunction(() => document.activeElement?.getAttribute('name') === 'kind');
    expect(await page.getAttribute('select[name="kind"]', 'aria-invalid')).toBe('true');
    const described = await page.getAttribute('select[name="kind"]', 'aria-describedby');
    expect(await page.textContent(`#${described}`)).toContain('回答区分を選んでください');
    expect(await page.getAttribute(`#${described}`, 'aria-live')).toBe('polite');

    // Only the name missing now: the focus moves on to 回答者.
    await page.locator('select[name="kind"]').selectOption('協議に応じる');
    await page.locator('button:has-text("回答する")').click();
    await page.waitForFunction(() => document.activeElement?.getAttribute('name') === 'answeredBy');
    expect(await page.getAttribute('select[name="kind"]', 'aria-invalid')).toBe('false');
    expect(await page.getAttribute('[name="answeredBy"]', 'aria-invalid')).toBe('true');

    // The PT takes 保護課 off (所管外) while the page is open: the submit is refused and the form goes.
    ok(
      call(served.rt, 'apiSetDepartmentStage', {
        id: 'R7-U03',
        version: version('R7-U03'),
        department: '保護課',
        stage: '所管外',
        reason: '所管が違う',
      }),
    );
    await page.locator('[name="answeredBy"]').fill('保護課 山田');
    await page.locator('button:has-text("回答する")').click();
    await page.locator('.closed').waitFor();
    expect(await page.textContent('.closed')).toContain('この協議依頼は終了しています');
    expect(await page.textContent('.closed')).toContain('所管外');
    expect(await page.evaluate(() => document.activeElement?.className)).toBe('closed');
    expect(await page.locator('form').count()).toBe(0);
    expect(await page.locator('button').count()).toBe(0);
    expect(
      records(served.rt, '所管課別進捗').find((r) => r.ID === 'R7-U03' && r.所管課 === '保護課')!.回答区分,
    ).toBe('');

    // Opened again: the page itself says it is closed, with nothing to send.
    await page.goto(link);
    await page.waitForSelector('h1');
    expect(await page.textContent('h1')).toBe('この協議依頼は終了しています');
    expect(await page.textContent('.error')).toContain('所管外');
    expect(await page.locator('form').count()).toBe(0);
    await page.screenshot({ path: join(ARTIFACTS, 'answer-closed.png') });
  }, 60_000);

  it('an answered request past its grace period no longer offers 回答を修正する', async () => {
    ok(
      call(served.rt, 'apiPresent', {
        id: 'R7-U05',
        version: version('R7-U05'),
        departments: ['デジタル推進課'],
      }),
    );
    const mail = served.rt.state.outbox.filter((m) => /\?t=/.test(m.body)).at(-1)!;
    const link = /(http:\/\/\S+\?t=\S+)/.exec(mail.body)![1]!;
    const page = await served.browser.newPage({ viewport: { width: 800, height: 900 } });
    page.setDefaultTimeout(15000);
    await page.goto(link);
    await page.locator('select[name="kind"]').selectOption('協議に応じる');
    await page.locator('[name="answeredBy"]').fill('デジタル推進課 佐藤');
    await page.locator('button:has-text("回答する")').click();
    await page.waitForSelector('.done');
    // The consultation is recorded (②): revisions stay open for a grace period, and the page says until when.
    ok(
      call(served.rt, 'apiSetDepartmentStage', {
        id: 'R7-U05',
        version: version('R7-U05'),
        department: 'デジタル推進課',
        stage: '②',
      }),
    );
    await page.goto(link);
    await page.waitForSelector('form');
    expect(await page.textContent('button.action')).toBe('回答を修正する');
    expect(await page.textContent('main')).toMatch(/回答の修正は令和7年12月9日まで受け付けます/);
    served.rt.setClock('2025-12-20T09:00:00+09:00');
    await page.goto(link);
    await page.waitForSelector('h1');
    expect(await page.textContent('h1')).toBe('この協議依頼は終了しています');
    expect(await page.locator('button').count()).toBe(0);
  }, 60_000);
});
