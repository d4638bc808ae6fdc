// Opening and saving a local register: the .xlsx with its sidecar, under a file lock so two
// processes cannot overwrite each other's changes.
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import lockfile from 'proper-lockfile';
import { loadWorkbook, saveWorkbook } from './runtime/persist';
import { Runtime, type RuntimeOptions } from './runtime/runtime';

export const DEFAULT_WORKBOOK = '.local/register.xlsx';
export const OWNER = 'secretariat@example.jp';

export async function openRuntime(path: string, options: RuntimeOptions = {}): Promise<Runtime> {
  // A workbook without its sidecar is not opened afresh: loadWorkbook finds the pending one or fails.
  if (existsSync(path)) {
    const { workbook, state } = await loadWorkbook(path);
    // Bound and add-on keep their state under different keys: a register stays in its mode.
    const was = state.mode ?? 'bound';
    if (options.mode && options.mode !== was)
      throw new Error(`${path} was set up in ${was} mode; run it with --mode ${was}`);
    return new Runtime({ ...options, mode: was, workbook, state, owner: workbook.owner });
  }
  return new Runtime({ owner: OWNER, ...options });
}

/** Runs `work` with the workbook locked, then saves it. */
export async function withWorkbook<T>(
  path: string,
  options: RuntimeOptions,
  work: (rt: Runtime) => T | Promise<T>,
): Promise<T> {
  const file = resolve(path);
  await mkdir(dirname(file), { recursive: true });
  const release = await lockfile.lock(file, {
    realpath: false,
    retries: { retries: 20, minTimeout: 50, maxTimeout: 500 },
  });
  try {
    const rt = await openRuntime(file, options);
    const result = await work(rt);
    await saveWorkbook(file, rt.workbook, rt.state);
    return result;
  } finally {
    await release();
  }
}
