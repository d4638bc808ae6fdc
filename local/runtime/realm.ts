// Values handed to the script are made in the sandbox's realm, as Apps Script's are its own
// (APPS-SCRIPT-SEMANTICS §0.11): inside the vm, `x instanceof Object`, `Array.isArray(x)`,
// `x.constructor === Object` and `e instanceof Error` hold for what services return and throw.
import type { Realm } from './exec';

interface Protos {
  object: object;
  makeError: (message: string) => Error;
}

const cache = new WeakMap<Realm, Protos>();

function protos(realm: Realm): Protos {
  let p = cache.get(realm);
  if (!p) {
    const array = Object.getPrototypeOf(realm.array([])) as object;
    p = { object: Object.getPrototypeOf(array) as object, makeError: (message) => realm.error(message) };
    cache.set(realm, p);
  }
  return p;
}

/**
 * `value` with every host-realm plain object and array (deeply) rebuilt in the sandbox's realm.
 * Class instances (service objects), Dates and sandbox values pass through unchanged; a sandbox
 * array or object is trusted not to hold host ones (services build those with the realm).
 */
export function toSandbox<T>(value: T, realm: Realm): T {
  if (value === null || typeof value !== 'object') return value;
  const p = protos(realm);
  const proto = Object.getPrototypeOf(value);
  if (proto === Array.prototype) {
    const out = realm.sized<unknown>((value as unknown[]).length);
    (value as unknown[]).forEach((v, i) => {
      out[i] = toSandbox(v, realm);
    });
    return out as T;
  }
  if (proto === Object.prototype || proto === null) {
    const out = Object.create(p.object) as Record<string, unknown>;
    for (const [k, v] of Object.entries(value)) out[k] = toSandbox(v, realm);
    return out as T;
  }
  return value;
}

/** A host-realm error thrown by service code, remade as the sandbox's Error with the same name and message. */
export function toSandboxError(e: unknown, realm: Realm): unknown {
  // A sandbox error is no host `instanceof Error`: it passes through as thrown.
  if (!(e instanceof Error)) return e;
  const out = protos(realm).makeError(e.message);
  out.name = e.name === 'Error' ? 'Exception' : e.name;
  return out;
}
