// The one way pages call the server: typed by the public surface (src/api.ts), so a misspelt
// function or a wrong payload fails the typecheck. The transport is google.script.run; the offline
// page provides a google.script.run of its own, so call sites never change.
import type * as Api from '../api';
import type { Result } from '../server/result';

type Fns = typeof Api;
type ApiName = { [K in keyof Fns]: K extends `api${string}` ? K : never }[keyof Fns];

interface Runner {
  withSuccessHandler(f: (value: unknown) => void): Runner;
  withFailureHandler(f: (error: Error) => void): Runner;
  [fn: string]: unknown;
}

declare const google: { script: { run: Runner; host: { close(): void } } };

/**
 * Saves that read only the proposal they change and mark 集計 instead of counting the register:
 * once one succeeds, 集計 is brought up to date by a call of its own, which nobody waits for.
 */
const MARKS_SUMMARY: ReadonlySet<string> = new Set<ApiName>([
  'apiUpdateProposal',
  'apiAddDepartment',
  'apiSetDepartmentStage',
  'apiRecordConsultation',
  'apiRecordJudgment',
]);

function refreshSummary() {
  const runner = google.script.run.withSuccessHandler(() => {}).withFailureHandler(() => {});
  (runner.apiRefreshSummary as () => void)();
}

/** Calls a server function; resolves with its Result, rejects when the call itself failed. */
export function callServer<K extends ApiName>(
  name: K,
  ...args: Parameters<Fns[K]>
): Promise<ReturnType<Fns[K]>> {
  return new Promise((resolve, reject) => {
    const runner = google.script.run
      .withSuccessHandler((v) => {
        resolve(v as ReturnType<Fns[K]>);
        if (MARKS_SUMMARY.has(name) && (v as { ok?: boolean } | null)?.ok) refreshSummary();
      })
      .withFailureHandler((e) => reject(e));
    (runner[name] as (...a: unknown[]) => void)(...args);
  });
}

export const closeSidebar = () => google.script.host.close();

/** What every api* function returns: one type, the server's. */
export type { Result } from '../server/result';
export type DataOf<K extends ApiName> = ReturnType<Fns[K]> extends Result<infer T> ? T : never;
