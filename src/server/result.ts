// What every google.script.run target returns: a value, or a refusal the form can show.
import { Refused } from '../domain/operations';
import type { FieldErrors } from '../domain/schemas';
import { NotSetUp } from '../sheets/register';

export type Result<T> =
  | { ok: true; data: T }
  | { ok: false; code: string; message: string; fieldErrors: FieldErrors; current?: unknown };

export function toResult<T>(work: () => T): Result<T> {
  try {
    return { ok: true, data: work() };
  } catch (e) {
    if (e instanceof Refused)
      return { ok: false, code: e.code, message: e.message, fieldErrors: e.fieldErrors, current: e.current };
    if (e instanceof NotSetUp) return { ok: false, code: 'not_set_up', message: e.message, fieldErrors: {} };
    throw e;
  }
}
