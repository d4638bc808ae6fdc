// Script properties read once per locked run. Each properties read is a round trip to the service
// (≈ 30 ms); a save used to make eight (the head, the owner, the guarded settings, an ID counter,
// 集計's print, the 年度 start, the secret, the published index). Inside the script lock no other
// locked run writes them, so the first read fetches all of them and later reads are answered from
// that copy; every write goes to the service and to the copy. Outside the lock nothing is kept.
type Properties = GoogleAppsScript.Properties.Properties;

let depth = 0;
let copy: Record<string, string> | null = null;

/** Runs `work` with reads of the script properties kept for its duration (the lock's holder). */
export function withPropsMemo<T>(work: () => T): T {
  depth++;
  try {
    return work();
  } finally {
    if (--depth === 0) copy = null;
  }
}

/** `store`, read through the copy while a locked run holds it; `store` itself otherwise. */
export function memoProps(store: Properties): Properties {
  if (depth === 0) return store;
  const all = () => {
    if (!copy) copy = { ...store.getProperties() };
    return copy;
  };
  const view = {
    getProperty: (key: string) => all()[key] ?? null,
    getProperties: () => ({ ...all() }),
    getKeys: () => Object.keys(all()),
    setProperty: (key: string, value: string) => {
      store.setProperty(key, value);
      if (copy) copy[key] = String(value);
      return view;
    },
    setProperties: (props: Record<string, string>, deleteAllOthers?: boolean) => {
      if (deleteAllOthers) store.setProperties(props, true);
      else store.setProperties(props);
      if (copy && deleteAllOthers) copy = null;
      else if (copy) for (const k of Object.keys(props)) copy[k] = String(props[k]);
      return view;
    },
    deleteProperty: (key: string) => {
      store.deleteProperty(key);
      if (copy) delete copy[key];
      return view;
    },
    deleteAllProperties: () => {
      store.deleteAllProperties();
      copy = null;
      return view;
    },
  };
  return view as unknown as Properties;
}
