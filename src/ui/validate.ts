// Client-side checks with the server's own zod schemas (the server checks again). Kept apart
// from forms.ts so that pages without zod (the answer page) stay small.
import { fieldErrors } from '../domain/schemas';
/** Client-side check with the server's own zod schema (the server checks again). */
export function validateWith(
  schema: {
    safeParse(x: unknown): { success: true } | { success: false; error: import('zod/mini').core.$ZodError };
  },
  payload: unknown,
  rename: Record<string, string> = {},
): Record<string, string> {
  const r = schema.safeParse(payload);
  if (r.success) return {};
  return Object.fromEntries(Object.entries(fieldErrors(r.error)).map(([k, v]) => [rename[k] ?? k, v]));
}
