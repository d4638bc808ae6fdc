// One lock everywhere: the script lock (a document lock is null in a web app).
import { Refused } from '../domain/operations';
import { withPropsMemo } from '../sheets/props-memo';

const WAIT_MS = 20_000;

export function withScriptLock<T>(work: () => T): T {
  const lock = LockService.getScriptLock();
  if (!lock.tryLock(WAIT_MS))
    throw new Refused('busy', '他の処理が実行中です。少し待ってからもう一度お試しください。');
  try {
    return withPropsMemo(work);
  } finally {
    // Pending writes must land before another execution can read them.
    SpreadsheetApp.flush();
    lock.releaseLock();
  }
}
