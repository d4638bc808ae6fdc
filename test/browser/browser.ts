// Browser tests drive Debian's Chromium through playwright-core against the offline serve page.
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import type { Runtime } from '../../local/runtime/runtime';
import { serve } from '../../local/serve';
import { sampleRuntime } from '../helpers';

export const ARTIFACTS = join(process.cwd(), 'test-artifacts');

export async function launch(): Promise<Browser> {
  // Chromium writes into $HOME even with a temporary profile: give it a temporary HOME.
  process.env.HOME = mkdtempSync(join(tmpdir(), 'chromium-home-'));
  return chromium.launch({
    executablePath: '/usr/lib/chromium/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** The sidebar's frame, once it has loaded its data. */
export async function sidebar(page: Page) {
  const handle = await page.waitForSelector('#sidebar-frame');
  const frame = (await handle.contentFrame())!;
  await frame.waitForSelector('.body');
  return frame;
}

/**
 * One browser and the offline page serving a fresh copy of the sample, for the whole file: the
 * hooks are registered here, the objects read from the returned holder once they exist.
 */
export function servedSample() {
  const held = {} as { browser: Browser; rt: Runtime; server: Awaited<ReturnType<typeof serve>> };
  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    held.browser = await launch();
    held.rt = sampleRuntime();
    held.server = await serve({ workbook: '', runtime: held.rt, save: false });
  });
  afterAll(async () => {
    await held.server?.close();
    await held.browser?.close();
  });
  return held;
}
