// The offline page's 集計 tab: wrapped cells shown whole on as many lines as they take (never
// clipped with "…"), and the tab's chart drawn from the ranges the add-on recorded for it.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ARTIFACTS, servedSample } from './browser';

const served = servedSample();

describe('集計 on the offline page', () => {
  it('wraps long cells as Sheets does and draws the stacked bar chart from its ranges', async () => {
    const page = await served.browser.newPage({ viewport: { width: 1600, height: 900 } });
    page.setDefaultTimeout(15000);
    await page.goto(`http://127.0.0.1:${served.server.port}/`);
    await page.waitForSelector('td[data-cell="A2"]');
    await page.click('nav.tabs button:has-text("集計")');
    await page.waitForSelector('td:has-text("各課題の進捗状況")');

    // The ① header (B10) is far longer than its 170 px column: it wraps, whole, over several lines.
    const header = page.locator('td[data-cell="B10"]');
    expect(await header.textContent()).toBe('① 所管課に課題(提案)を提示した段階 ※協議はこれから開始');
    const oneLine = (await page.locator('td[data-cell="A11"]').boundingBox())!.height;
    const wrapped = (await header.boundingBox())!.height;
    expect(wrapped).toBeGreaterThan(2 * oneLine);
    expect(
      await header.evaluate((td) => ({
        clipped: td.scrollWidth > td.clientWidth || td.scrollHeight > td.clientHeight,
        overflow: getComputedStyle(td).textOverflow,
      })),
    ).toEqual({ clipped: false, overflow: 'clip' });

    // The chart: one stacked bar per kind (the range's rows), a segment per non-zero stage.
    const chart = served.rt.workbook.sheet('集計')!.charts[0]!;
    expect(chart.ranges).toEqual(['集計!A10:E12']);
    await page.waitForSelector('svg.chart');
    expect(await page.textContent('svg.chart .chart-title')).toBe('種別ごとの進捗');
    const bars = page.locator('svg.chart g.bar');
    expect(await bars.count()).toBe(2);
    const segments = async (i: number) =>
      bars
        .nth(i)
        .locator('rect.segment')
        .evaluateAll((rs) => rs.map((r) => Number(r.getAttribute('data-value'))));
    expect(await bars.nth(0).getAttribute('data-category')).toBe('ユーザーの困りごと');
    expect(await segments(0)).toEqual([5, 11, 1]);
    expect(await bars.nth(1).getAttribute('data-category')).toBe('職員の困りごと');
    expect(await segments(1)).toEqual([5, 12]);
    // Drawn to scale: both kinds total 17, so both bars are equally long; ② is the longest segment.
    const lengths = async (i: number) =>
      bars
        .nth(i)
        .locator('rect.segment')
        .evaluateAll((rs) => rs.map((r) => r.getBoundingClientRect().width));
    const [user, staff] = [await lengths(0), await lengths(1)];
    const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
    expect(Math.abs(sum(user) - sum(staff))).toBeLessThan(1);
    expect(user[1]! / sum(user)).toBeCloseTo(11 / 17, 2);
    expect(await page.locator('svg.chart g.legend').count()).toBe(4);
    // Anchored where the add-on put it (column H), clear of the table's columns A–F.
    const box = (await page.locator('.chart-box').boundingBox())!;
    const f = (await page.locator('td[data-cell="F10"]').boundingBox())!;
    expect(box.x).toBeGreaterThanOrEqual(f.x + f.width);
    await page.screenshot({ path: join(ARTIFACTS, 'summary-chart.png') });
  }, 60_000);
});
