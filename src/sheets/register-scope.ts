// Which register an execution serves, and where its own state is kept. The bundle is built in one
// of two modes (build/bundle.mjs defines __REGISTER_MODE__):
// - bound (dist/): the script lives in the register; its script properties are that register's.
// - addon (dist-addon/): one published Editor add-on serves every register of the domain, and its
//   script properties are shared by all of them ("all users of a script, add-on, or web app",
//   https://developers.google.com/apps-script/guides/properties). Every key of a register's state
//   is then kept under `<spreadsheetId>:` (docs/addon-mode.md §2.2 for why not document
//   properties: the answer page is a web app, where getDocumentProperties() is null).
// Nothing here runs at load time: global code may not touch a service (AuthMode.NONE, §A5).

import { memoProps } from './props-memo';

declare const __REGISTER_MODE__: string | undefined;

export const ADDON_MODE = typeof __REGISTER_MODE__ !== 'undefined' && __REGISTER_MODE__ === 'addon';

type Spreadsheet = GoogleAppsScript.Spreadsheet.Spreadsheet;
type Properties = GoogleAppsScript.Properties.Properties;

let chosen: Spreadsheet | null = null;
let chosenId = '';

/**
 * Serve `ss` for the rest of this execution: the hourly trigger (no active spreadsheet in an
 * add-on's clock trigger) and the answer page (a web app has none) open their register by ID.
 */
export function useRegister(ss: Spreadsheet): Spreadsheet {
  chosen = ss;
  chosenId = '';
  return ss;
}

/** The register this execution serves: the one chosen, else the active spreadsheet. */
export function theRegister(): Spreadsheet {
  return chosen ?? SpreadsheetApp.getActiveSpreadsheet();
}

/** The served register's spreadsheet ID (read once per execution). */
export function registerId(): string {
  if (!chosenId) chosenId = theRegister().getId();
  return chosenId;
}

/** The project's whole script-property store: in add-on mode only for the installation's own indexes. */
export const installationProps = (): Properties => PropertiesService.getScriptProperties();

/** The served register's state: the store itself when bound, its `<spreadsheetId>:` keys as an add-on. */
export function scriptProps(): Properties {
  // Inside the script lock, read once per run (sheets/props-memo.ts).
  const store = memoProps(PropertiesService.getScriptProperties());
  return ADDON_MODE ? registerScoped(store, `${registerId()}:`) : store;
}

/** A view of `store` holding only the keys under `prefix`, named without it. */
export function registerScoped(store: Properties, prefix: string): Properties {
  const own = (all: Record<string, string>) => {
    const out: Record<string, string> = {};
    for (const k of Object.keys(all)) if (k.startsWith(prefix)) out[k.slice(prefix.length)] = all[k]!;
    return out;
  };
  const view = {
    getProperty: (key: string) => store.getProperty(prefix + key),
    getProperties: () => own(store.getProperties()),
    getKeys: () => Object.keys(own(store.getProperties())),
    setProperty: (key: string, value: string) => {
      store.setProperty(prefix + key, value);
      return view;
    },
    setProperties: (props: Record<string, string>, deleteAllOthers?: boolean) => {
      if (deleteAllOthers)
        for (const k of Object.keys(own(store.getProperties())))
          if (!(k in props)) store.deleteProperty(prefix + k);
      const scoped: Record<string, string> = {};
      for (const k of Object.keys(props)) scoped[prefix + k] = props[k]!;
      store.setProperties(scoped);
      return view;
    },
    deleteProperty: (key: string) => {
      store.deleteProperty(prefix + key);
      return view;
    },
    deleteAllProperties: () => {
      for (const k of Object.keys(own(store.getProperties()))) store.deleteProperty(prefix + k);
      return view;
    },
  };
  return view as unknown as Properties;
}
