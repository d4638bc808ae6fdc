// A progress check (実施状況の確認) in a browser: the link in the department's email opens the
// carried-over proposal with its 実施状況 now; the department reports one there and another in its
// inbox, and the register shows both.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { call, OWNER, ok, records } from '../helpers';
import { ARTIFACTS, servedSample } from './browser';

const served = servedSample();
const DAY = 24 * 3600_000;

/** 検討継続 on two proposals 広報室 consulted (②), the 年度 2026 started, its first quarter's round sent. */
function roundSent() {
  const rt = served.rt;
  rt.advance(100 * DAY);
  const atTwo = new Set(
    records(rt, '課題一覧')
      .filter((r) => r.進捗 === '②')
      .map((r) => r.ID!),
  );
  const ids = records(rt, '所管課別進捗')
    .filter((r) => r.所管課 === '広報室' && r.段階 === '②' && atTwo.has(r.ID!))
    .map((r) => r.ID!)
    .slice(0, 2);
  for (const id of ids) {
    const { version } = ok(call<{ version: string }>(rt, 'apiGetProposal', { id }));
    ok(call(rt, 'apiRecordJudgment', { id, version, judgment: '検討継続' }));
  }
  ok(call(rt, 'apiStartFiscalYear', { fiscalYear: 2026 }, OWNER));
  rt.advance(27 * DAY);
  rt.fireTrigger('onDailyNine');
  const mail = rt.state.outbox
    .filter((m) => m.subject.startsWith('【実施状況の確認】'))
    .find((m) => m.body.includes(`■${ids[0]} `))!;
  return { ids, body: mail.body };
}

describe('a progress check', () => {
  it('is answered on its page and in the inbox', async () => {
    const { ids, body } = roundSent();
    expect(ids).toHaveLength(2);
    const link = /(http:\/\/\S+\?p=\S+)/.exec(body.slice(body.indexOf(`■${ids[0]} `)))![1]!;
    const page = await served.browser.newPage({ viewport: { width: 900, height: 900 } });
    page.setDefaultTimeout(15000);
    await page.goto(link);
    await page.waitForSelector('form');
    expect(await page.textContent('h1')).toBe('実施状況の確認');
    expect(await page.textContent('h2')).toContain(ids[0]);
    expect(await page.textContent('dl')).toContain('未設定');
    await page.locator('select[name="status"]').selectOption('実施中');
    await page.locator('[name="note"]').fill('10月から試行します');
    await page.locator('[name="answeredBy"]').fill('広報室 山田');
    await page.screenshot({ path: join(ARTIFACTS, 'progress.png'), fullPage: true });
    await page.locator('button:has-text("回答する")').click();
    await page.waitForSelector('.done');
    expect(await page.textContent('.done')).toContain('実施状況「実施中」を記録しました');

    const inbox = /(http:\/\/\S+\?i=\S+)/.exec(body)![1]!;
    await page.goto(inbox);
    const item = page.locator('li', { hasText: ids[1]! }).filter({ hasText: '実施状況の確認' });
    await item.locator('summary').click();
    expect(await item.locator('.badge').textContent()).toBe('未回答');
    await item.locator('select[name="status"]').selectOption('未着手');
    await item.locator('[name="answeredBy"]').fill('広報室 山田');
    await item.locator('button:has-text("回答する")').click();
    await item.locator('.done:not([hidden])').waitFor();
    expect(await item.locator('.badge').textContent()).toBe('回答済');
    await page.screenshot({ path: join(ARTIFACTS, 'progress-inbox.png'), fullPage: true });
    const register = records(served.rt, '課題一覧');
    expect(register.find((r) => r.ID === ids[0])?.実施状況).toBe('実施中');
    expect(register.find((r) => r.ID === ids[1])?.実施状況).toBe('未着手');
  }, 60_000);
});
