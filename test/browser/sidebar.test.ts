// The sidebar in a real browser (Debian's Chromium), served by the offline page on the real bundle.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Frame, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Runtime } from '../../local/runtime/runtime';
import { serve } from '../../local/serve';
import { edit, OWNER, PT, records, sampleRuntime, sheetValues } from '../helpers';
import { ARTIFACTS, launch, sidebar } from './browser';

let browser: Browser;
let rt: Runtime;
let server: Awaited<ReturnType<typeof serve>>;
let page: Page;

beforeAll(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  browser = await launch();
});
afterAll(async () => {
  await server?.close();
  await browser?.close();
});
afterEach(async () => {
  await page?.close();
});
beforeEach(async () => {
  await server?.close();
  rt = sampleRuntime();
  server = await serve({ workbook: '', runtime: rt, save: false });
  page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  page.setDefaultTimeout(15000);
  page.on('pageerror', (e) => {
    throw e;
  });
});

async function openSidebar(user = PT): Promise<Frame> {
  await page.goto(`http://127.0.0.1:${server.port}/`);
  await page.selectOption('#user', user);
  await page.click('.menu summary');
  await page.click('text=サイドバーを開く');
  const frame = await sidebar(page);
  await frame.waitForSelector('.result');
  return frame;
}

const shot = (name: string) => page.screenshot({ path: join(ARTIFACTS, `${name}.png`) });

async function fillCreate(frame: Frame, kind: string, fields: Record<string, string>, departments: string[]) {
  await frame.click('text=新しい課題を登録');
  await frame.selectOption('select[name="kind"]', kind);
  for (const [name, value] of Object.entries(fields)) {
    const el = await frame.$(`[name="${name}"]:visible`);
    if ((await el!.evaluate((e) => e.tagName)) === 'SELECT') await el!.selectOption(value);
    else await el!.fill(value);
  }
  for (const d of departments) await frame.check(`label:has-text("${d}") input`);
}

describe('sidebar', () => {
  it('creates a proposal of each kind, showing a field error first and warning of a similar one', async () => {
    const frame = await openSidebar();
    await fillCreate(
      frame,
      'ユーザーの困りごと',
      {
        perspective: '市民の目線',
        category: '公共の場等',
        painPoint: '区役所のサインや表示板が分かりづらい',
      },
      ['庁舎管理課'],
    );
    await frame.click('button:has-text("登録する")');
    await expect
      .poll(() => frame.textContent('[id$="-title-error"]'), { timeout: 15000 })
      .toBe('課題(提案)名を入力してください。');
    await frame.fill('[name="title"]', '区役所の案内サインが分かりにくい');
    await frame.click('[name="solution"]');
    await frame.waitForSelector('.similar li');
    expect(await frame.textContent('.similar')).toContain('R7-U12');
    await shot('sidebar-similar-warning');
    await frame.click('button:has-text("登録する")');
    await frame.waitForSelector('.notice.ok');
    expect(await frame.textContent('.notice')).toBe('R7-U18 を登録しました。');
    await frame.click('text=← 一覧へ');
    await fillCreate(
      frame,
      '職員の困りごと',
      { categoryStaff: '両方', painPoint: '出張精算の入力が二重', title: '旅費精算の一本化' },
      ['会計室', '人事課'],
    );
    await frame.click('button:has-text("登録する")');
    await frame.waitForSelector('.notice.ok');
    expect(await frame.textContent('.notice')).toBe('R7-S18 を登録しました。');
    await shot('sidebar-created');
    const rows = records(rt, '課題一覧');
    expect(rows.find((r) => r.ID === 'R7-U18')).toMatchObject({
      '課題(提案)名': '区役所の案内サインが分かりにくい',
      目線: '市民の目線',
      進捗: '未提示',
    });
    expect(rows.find((r) => r.ID === 'R7-S18')).toMatchObject({
      '場面・分類': '両方',
      目線: '',
      所管課: '会計室(未提示)、人事課(未提示)',
    });
    expect(
      records(rt, '変更履歴')
        .filter((r) => r.ID === 'R7-S18' && r.経路 === 'サイドバー' && r.利用者 === PT)
        .map((r) => r.項目),
    ).toEqual(['作成', '種別', '場面・分類', '所管課追加', '所管課追加']);
    // The row just saved is selected in the sheet.
    await expect
      .poll(() => page.locator('td.selected, td.row-selected').count(), { timeout: 8000 })
      .toBeGreaterThan(0);
  });

  it('presents, records a consultation (① → ②), ends a study with a reason, and the summary follows', async () => {
    const frame = await openSidebar();
    await frame.click('text=R7-U03');
    await frame.waitForSelector('.depts');
    // 保護課 is at ①: record a consultation with it.
    await frame.click('summary:has-text("協議を記録")');
    await frame.fill('[name="attendees"]', 'PT 田中、保護課 係長');
    await frame.fill('[name="summary"]', 'オンライン申請の対象書類を整理');
    await frame.click('button:has-text("協議を記録")');
    await frame.waitForSelector('.notice.ok');
    expect(await frame.textContent('.head .stage')).toBe('②');
    await frame.click('summary:has-text("判断")');
    await frame.selectOption('select[name="move"]:visible', { label: '検討終了' });
    await frame.click('button:has-text("判断を記録")');
    await expect
      .poll(
        () =>
          frame
            .locator('section:has(#sec-judge) .error')
            .allTextContents()
            .then((t) => t.join('')),
        { timeout: 15000 },
      )
      .toContain('終了理由');
    await frame.selectOption('select[name="endReason"]', '解決が望めない');
    await frame.click('button:has-text("判断を記録")');
    await frame.waitForSelector('.judgment');
    expect(await frame.textContent('.judgment')).toContain('検討終了');
    await shot('sidebar-ended');
    expect(records(rt, '課題一覧').find((r) => r.ID === 'R7-U03')).toMatchObject({
      判断: '検討終了',
      終了理由: '解決が望めない',
      進捗: '③',
    });
    expect(records(rt, '協議記録').filter((r) => r.ID === 'R7-U03')).toHaveLength(1);
    // Each save marked 集計; the sidebar then brought it up to date with a call nobody waits for.
    await expect
      .poll(() => rt.executions.filter((e) => e.fn === 'apiRefreshSummary' && e.outcome === 'ok').length)
      .toBeGreaterThanOrEqual(2);
    await expect.poll(() => rt.state.properties.script.SUMMARY_DIRTY ?? '').toBe('');
    const summary = records(rt, '集計');
    expect(JSON.stringify(summary)).toContain('解決が望めない');
  });

  it('offers a PT member no backward move; the secretariat’s correction needs a reason', async () => {
    let frame = await openSidebar(PT);
    await frame.click('text=R7-U01');
    await frame.waitForSelector('.depts');
    await frame.click('.dept:has-text("広報室") summary');
    const options = await frame.$$eval('.dept:has-text("広報室") select[name="move"] option', (os) =>
      os.map((o) => o.textContent),
    );
    expect(options).toEqual(['選んでください', '④ 対応済', '所管外として外す']);
    frame = await openSidebar(OWNER);
    await frame.click('text=R7-U01');
    await frame.waitForSelector('.depts');
    await frame.click('.dept:has-text("広報室") summary');
    await frame.selectOption('.dept:has-text("広報室") select[name="move"]', { label: '① 提示した(訂正)' });
    await frame.click('.dept:has-text("広報室") button:has-text("変更する")');
    await expect
      .poll(() => frame.textContent('.dept:has-text("広報室") [id$="-reason-error"]'), { timeout: 15000 })
      .toBe('訂正の理由を入力してください。');
    await shot('sidebar-correction-refused');
    expect(records(rt, '所管課別進捗').find((r) => r.ID === 'R7-U01' && r.所管課 === '広報室')!.段階).toBe(
      '②',
    );
    await frame.fill('.dept:has-text("広報室") textarea[name="reason"]', '協議日の記録誤り');
    await frame.click('.dept:has-text("広報室") button:has-text("変更する")');
    await frame.waitForSelector('.notice.ok');
    expect(records(rt, '所管課別進捗').find((r) => r.ID === 'R7-U01' && r.所管課 === '広報室')!.段階).toBe(
      '①',
    );
  });

  it('draws a save from its own answer (no second call), and reads 変更履歴 only when opened', async () => {
    // 集計's refresh after a save is a call of its own that nobody waits for: not counted here.
    const calls: string[] = [];
    page.on('request', (r) => {
      const fn = r.url().endsWith('/api/run') ? JSON.parse(r.postData() ?? '{}').fn : '';
      if (fn && fn !== 'apiRefreshSummary') calls.push(fn);
    });
    const frame = await openSidebar(PT);
    await frame.click('text=R7-U01');
    await frame.waitForSelector('.depts');
    expect(calls.filter((f) => f === 'apiProposalHistory')).toEqual([]);
    calls.length = 0;
    await frame.click('summary:has-text("内容を編集")');
    await frame.fill('textarea[name="notes"]:visible', '窓口で確認済み');
    await frame.click('button:has-text("保存する")');
    await frame.waitForSelector('.notice.ok');
    expect(calls).toEqual(['apiUpdateProposal']);
    await frame.click('#sec-hist');
    await expect
      .poll(() => frame.textContent('section[aria-labelledby="sec-hist"] .log'), { timeout: 15000 })
      .toContain('備考: — → 窓口で確認済み');
    expect(calls).toEqual(['apiUpdateProposal', 'apiProposalHistory']);
  });

  it('shows a refused stale save and re-applies it on the latest version', async () => {
    const frame = await openSidebar();
    await frame.click('text=R7-U02');
    await frame.waitForSelector('.depts');
    // Someone else saves first.
    const v = rt.call<{ ok: true; data: { version: string } }>('apiGetProposal', [{ id: 'R7-U02' }], OWNER)
      .data.version;
    rt.call('apiUpdateProposal', [{ id: 'R7-U02', version: v, fields: { ptMembers: '鈴木' } }], OWNER);
    await frame.click('summary:has-text("内容を編集")');
    await frame.fill('textarea[name="notes"]', 'サイドバーからの備考');
    await frame.click('button:has-text("保存する")');
    await frame.waitForSelector('.stale');
    expect(await frame.textContent('.stale')).toContain('他の人が更新しました');
    await frame.click('text=最新の内容に再適用する');
    await frame.waitForSelector('.notice.ok');
    expect(records(rt, '課題一覧').find((r) => r.ID === 'R7-U02')).toMatchObject({
      PT担当: '鈴木',
      備考: 'サイドバーからの備考',
    });
  });

  it('presents a proposal to two departments with a preview and sends both requests', async () => {
    const frame = await openSidebar();
    await frame.click('text=R7-U03');
    await frame.waitForSelector('.depts');
    await frame.click('summary:has-text("提示して協議依頼を送る")');
    // 保護課 is at ①, presented by hand before the add-on (imported): offered, not chosen;
    // デジタル推進課 is 未提示: offered and chosen. The PT sends 保護課 a request too.
    expect(await frame.textContent('fieldset.checks')).toContain('保護課(①・台帳外で送付済)');
    expect(
      await frame.$$eval('input[name="present"]:checked', (xs) =>
        xs.map((x) => (x as HTMLInputElement).value),
      ),
    ).toEqual(['デジタル推進課']);
    await frame.check('input[name="present"][value="保護課"]');
    await frame.click('button:has-text("プレビュー")');
    await frame.waitForSelector('.preview summary');
    expect(await frame.textContent('.previews')).toContain('【協議依頼】R7-U03 生活保護のオンライン申請等');
    await shot('sidebar-present-preview');
    await frame.click('button:has-text("送信する")');
    await frame.waitForSelector('.notice.ok');
    expect(await frame.textContent('.notice')).toContain('2件の協議依頼を送信しました');
    expect(rt.state.outbox.map((m) => [m.to, m.subject])).toEqual([
      ['hogo@example.jp', '【協議依頼】R7-U03 生活保護のオンライン申請等'],
      ['digital@example.jp', '【協議依頼】R7-U03 生活保護のオンライン申請等'],
    ]);
    expect(
      records(rt, '所管課別進捗')
        .filter((r) => r.ID === 'R7-U03')
        .map((r) => [r.段階, r.依頼状態]),
    ).toEqual([
      ['①', '送信済'],
      ['①', '送信済'],
    ]);
  });

  it('imports a CSV chosen in the 取込 dialog, all or nothing', async () => {
    await page.goto(`http://127.0.0.1:${server.port}/`);
    await page.click('.menu summary');
    await page.click('text=取込(CSV)');
    const frame = (await (await page.waitForSelector('#dialog-frame')).contentFrame())!;
    await frame.waitForSelector('#csv');
    const bad = '種別,場面・分類,困りごと,課題(提案)名,進捗\nユーザーの困りごと,公共の場等,a,b,③\n';
    await frame.setInputFiles('#csv', { name: 'bad.csv', mimeType: 'text/csv', buffer: Buffer.from(bad) });
    await frame.click('button:has-text("取り込む")');
    await frame.waitForSelector('.error');
    expect(await frame.textContent('.error')).toContain('何も書き込んでいません');
    const good =
      '\uFEFF種別,場面・分類,困りごと,課題(提案)名,所管課,進捗,提示日\r\n職員の困りごと,両方,紙の回覧が多い,回覧の電子化,総務課,①,R7.11.1\r\n';
    await frame.setInputFiles('#csv', { name: 'good.csv', mimeType: 'text/csv', buffer: Buffer.from(good) });
    await frame.click('button:has-text("取り込む")');
    await frame.waitForSelector('.ok');
    expect(await frame.textContent('.ok')).toBe('1件を取り込みました(R7-S18〜R7-S18)。');
    await shot('import-dialog');
    expect(records(rt, '所管課別進捗').find((r) => r.ID === 'R7-S18')).toMatchObject({
      所管課: '総務課',
      段階: '①',
      提示日: '2025-11-01',
    });
    expect(rt.state.outbox).toEqual([]);
  });

  it('shows the secretariat the send queue and the quota left; a PT member has no such link', async () => {
    rt.state.mail.dailyQuota = 0;
    const v = rt.call<{ ok: true; data: { version: string } }>('apiGetProposal', [{ id: 'R7-U03' }], OWNER)
      .data.version;
    rt.call('apiPresent', [{ id: 'R7-U03', version: v, departments: ['保護課'] }], OWNER);
    let frame = await openSidebar(PT);
    expect(await frame.$('text=送信キューを見る')).toBeNull();
    frame = await openSidebar(OWNER);
    await frame.click('text=送信キューを見る');
    await frame.waitForSelector('h2:has-text("送信キュー")');
    expect(await frame.textContent('.body')).toContain('今日の残り送信可能数(宛先数): 0');
    expect(await frame.textContent('.log')).toContain('待機 R7-U03 保護課 依頼(第1回)');
    await shot('sidebar-send-queue');
  });

  it('shows an earlier day as the viewer’s own, leaving 集計 unchanged; a later day is refused beside the field', async () => {
    const shared = records(rt, '集計');
    const frame = await openSidebar(PT);
    await frame.click('.toolbar >> text=集計');
    await frame.waitForSelector('h2:has-text("集計")');
    expect(await frame.inputValue('[name="asOf"]')).toBe('2025-11-25');
    await frame.fill('[name="asOf"]', '2025-11-26');
    await frame.click('button:has-text("表示")');
    await expect
      .poll(() => frame.textContent('[id$="-asOf-error"]'), { timeout: 15000 })
      .toBe('時点は今日(令和7年11月25日)までの日付を入力してください。');
    await frame.fill('[name="asOf"]', 'R7.9.1');
    await frame.click('button:has-text("表示")');
    await frame.waitForSelector('table.figures');
    const rows = await frame.$$eval('table.figures tr', (trs) =>
      trs.map((tr) => [...tr.children].map((c) => c.textContent)),
    );
    // On 1 September two proposals had been presented, one of each kind, both at ①.
    expect(rows).toEqual([
      ['種別', '①', '②', '③', '④', '計'],
      ['ユーザー', '1', '0', '0', '0', '1'],
      ['職員', '1', '0', '0', '0', '1'],
      ['合計', '2', '0', '0', '0', '2'],
    ]);
    expect(await frame.textContent('table.figures caption')).toBe('令和7年度 9月1日時点(2件)');
    expect(await frame.textContent('.notice')).toBe(
      '令和7年度 9月1日時点の集計を表示しました(集計タブは変わりません)。',
    );
    // The lists of that day, in the sidebar.
    await frame.click('details.list >> text=『ユーザーの困りごと』(1件)');
    expect(await frame.textContent('details.list table.listed')).toContain('①所管課に課題を提示した段階');
    // 集計 is everyone's: still today's, untouched.
    expect(records(rt, '集計')).toEqual(shared);
    // A PT member cannot publish, nor start a 年度.
    expect(await frame.$('button.publish')).toBeNull();
    expect(await frame.$('button.start-year')).toBeNull();
    await shot('sidebar-summary');
  });

  it('after a new 年度 is started, its 集計 lists the carried-over proposals apart (R7継続検討)', async () => {
    const frame = await openSidebar(OWNER);
    await frame.click('.toolbar >> text=集計');
    await frame.waitForSelector('h2:has-text("集計")');
    // The secretariat starts it from the 集計 view: the button is behind a disclosure, as a confirm.
    await frame.click('details.start-year summary');
    await frame.click('button.start-year');
    await expect
      .poll(() => frame.textContent('.notice'), { timeout: 15000 })
      .toBe('令和8年度を開始しました。令和7年度までの課題 33件を継続検討として引き継ぎました。');
    expect(records(rt, '設定').find((r) => r.項目 === '年度')?.値).toBe('令和8年度');
    await frame.selectOption('[name="fiscalYear"]', '2026');
    await frame.click('button:has-text("表示")');
    await frame.waitForSelector('details.carried');
    expect(await frame.textContent('details.carried summary')).toBe(
      'R7継続検討(令和7年度から継続、33件・上表に含めない)',
    );
    await frame.click('details.carried summary');
    expect(await frame.textContent('details.carried')).toContain('判断: 未判断 33件');
    expect(await frame.$$eval('details.carried table.listed tr', (trs) => trs.length)).toBe(34);
  });

  it('search folds width, case and kana, and finds an ID in any form', async () => {
    const frame = await openSidebar(PT);
    const finds = async (q: string, expected: string[]) => {
      await frame.fill('#q', q);
      await expect
        .poll(() => frame.$$eval('.results .id', (e) => e.map((x) => x.textContent)), { timeout: 15000 })
        .toEqual(expected);
    };
    await finds('r7-u08', ['R7-U08']);
    await finds('Ｒ７－Ｕ０８', ['R7-U08']);
    await finds('R7-S05', ['R7-S05']);
    // 「ちゃっと」 in hiragana finds the katakana 「チャット」 in 困りごと.
    await finds('ちゃっと', ['R7-S05', 'R7-S06']);
    // Without folding (the old search) none of these found anything.
    await finds('ｒ７ｕ８', ['R7-U08']);
  });

  it('再送 says what really happened: still failing in red with the reason in Japanese, then sent', async () => {
    const row = sheetValues(rt, '所管課').findIndex((r) => r[0] === '保護課') + 1;
    const col = String.fromCharCode(65 + sheetValues(rt, '所管課')[0]!.indexOf('メールアドレス'));
    edit(rt, `所管課!${col}${row}`, 'hogo@example', OWNER);
    const v = rt.call<{ ok: true; data: { version: string } }>('apiGetProposal', [{ id: 'R7-U03' }], OWNER)
      .data.version;
    rt.call('apiPresent', [{ id: 'R7-U03', version: v, departments: ['保護課'] }], OWNER);
    const frame = await openSidebar(OWNER);
    await frame.click('text=送信キューを見る');
    await frame.waitForSelector('h2:has-text("送信キュー")');
    expect(await frame.textContent('.log')).toContain('メールアドレスが正しくありません(hogo@example)');
    await frame.click('.log button:has-text("再送")');
    await expect.poll(() => frame.getAttribute('.notice', 'class'), { timeout: 15000 }).toBe('notice error');
    expect(await frame.textContent('.notice')).toMatch(
      /^R7-U03 保護課への依頼を再送できませんでした。まだ「失敗」です。メールアドレスが正しくありません\(hogo@example\)/,
    );
    // Fixed in 所管課: the resend reads the address from there and says it was sent.
    edit(rt, `所管課!${col}${row}`, 'hogo@example.jp', OWNER);
    await frame.click('.log button:has-text("再送")');
    await expect
      .poll(() => frame.textContent('.notice'), { timeout: 15000 })
      .toBe('R7-U03 保護課への依頼を再送しました(宛先は所管課シートの現在のアドレス)。');
    expect(await frame.getAttribute('.notice', 'class')).toBe('notice ok');
    expect(rt.state.outbox.map((m) => m.to)).toContain('hogo@example.jp');
  });

  it('the offline page: closing the sidebar leaves no empty panel', async () => {
    await openSidebar(PT);
    expect(await page.isVisible('aside.sidebar')).toBe(true);
    await page.click('.sidebar-head .close');
    await expect.poll(() => page.isVisible('aside.sidebar')).toBe(false);
    const box = await page.$eval('.grid-wrap', (e) => e.getBoundingClientRect().width);
    expect(box).toBeGreaterThan(1200);
  });

  it('the secretariat publishes the day shown; a backdated change later is listed against the report', async () => {
    let frame = await openSidebar(OWNER);
    await frame.click('.toolbar >> text=集計');
    await frame.fill('[name="asOf"]', 'R7.11.25');
    await frame.click('button:has-text("表示")');
    await frame.waitForSelector('button.publish');
    await frame.click('button.publish');
    await expect
      .poll(() => frame.textContent('.notice'), { timeout: 15000 })
      .toBe(
        '報告シート「報告 R7.11.25」を作成しました(令和7年度 11月25日時点)。以後この報告は変わりません。',
      );
    const report = records(rt, '報告 R7.11.25');
    const v = (rt.call('apiGetProposal', [{ id: 'R7-S02' }], OWNER) as { data: { version: string } }).data
      .version;
    rt.call(
      'apiRecordConsultation',
      [{ id: 'R7-S02', version: v, department: '契約課', date: '2025-11-20', summary: '押印廃止の範囲' }],
      PT,
    );
    expect(records(rt, '報告 R7.11.25')).toEqual(report);
    frame = await openSidebar(PT);
    await frame.click('.toolbar >> text=集計');
    await frame.click('button:has-text("表示")');
    await frame.waitForSelector('.reported .corrections');
    expect(await frame.textContent('.reported')).toContain('※ 11/25時点の報告後に訂正 1件');
    expect(await frame.textContent('.reported li')).toContain('R7-S02 契約課：段階 ①→②（11月20日付');
  });
});
