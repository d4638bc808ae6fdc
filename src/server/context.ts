// Who is calling and from where. Any domain user can call any global through the web app page
// (which runs as the deployer), so every public function checks its context here.
import type { Role } from '../domain/labels';
import type { Settings } from '../domain/model';
import { Refused } from '../domain/operations';
import { ADDON_MODE, scriptProps, theRegister } from '../sheets/register-scope';

export const PROP_OWNER = 'OWNER';
export const PROP_SECRET = 'TOKEN_SECRET';

export { scriptProps, theRegister } from '../sheets/register-scope';

export function ownerEmail(): string {
  return (scriptProps().getProperty(PROP_OWNER) ?? '').toLowerCase();
}

/**
 * A sidebar or menu call runs as the person using it: the active and effective users are the same
 * and known. In the web app (executing as the deployer) they differ for anyone else, and a
 * blank active user means Apps Script would not say who it is: both are refused.
 */
export function sidebarCaller(): string {
  const active = Session.getActiveUser().getEmail().toLowerCase();
  const effective = Session.getEffectiveUser().getEmail().toLowerCase();
  if (!active)
    throw new Refused(
      'forbidden',
      '利用者を確認できません。組織のアカウントでスプレッドシートを開いてください。',
    );
  if (active !== effective)
    throw new Refused('forbidden', 'この機能はスプレッドシートのサイドバーからだけ使えます。');
  if (!SpreadsheetApp.getActiveSpreadsheet())
    throw new Refused('forbidden', 'この機能はスプレッドシートからだけ使えます。');
  return active;
}

/** The caller's role from 設定 (the recorded owner is always 事務局), or null. */
export function roleOf(email: string, settings: Settings, owner: string): Role | null {
  const e = email.toLowerCase();
  if (e && (e === owner || settings.secretariat.includes(e))) return '事務局';
  if (e && settings.pt.includes(e)) return 'PT';
  return null;
}

/** Trigger handlers act only as the account recorded at setup, so a second setup cannot double them. */
export function isOwnerRun(): boolean {
  const owner = ownerEmail();
  return !!owner && Session.getEffectiveUser().getEmail().toLowerCase() === owner;
}

/**
 * The owner's triggers of the served register. In add-on mode getProjectTriggers() would list the
 * user's triggers in every document using the add-on; getUserTriggers(ss) lists "triggers for
 * this script or add-on only" in that spreadsheet (https://developers.google.com/apps-script/reference/script/script-app).
 */
export const ownTriggers = (): GoogleAppsScript.Script.Trigger[] =>
  ADDON_MODE ? ScriptApp.getUserTriggers(theRegister()) : ScriptApp.getProjectTriggers();

/**
 * A real trigger run, told by what no caller can forge. google.script.run (the sidebar, or the
 * answer page, whose web app runs as the deployer — the owner) passes only strings, numbers,
 * booleans, null and plain objects or arrays of them: a copied `triggerUid` arrives intact, but
 * the event's `authMode` cannot. Apps Script puts a ScriptApp.AuthMode enum value there (an object
 * of the platform, APPS-SCRIPT-SEMANTICS §0.8, §2), identical to `ScriptApp.AuthMode.FULL` for an
 * installable or time-driven trigger; what google.script.run delivers is at best a plain `{}` or a
 * string. So a run counts as a trigger's only when
 * - the event's authMode is that very enum value (identity, not its name or its JSON),
 * - the effective user is the owner recorded at setup, and
 * - the event names one of the owner's triggers (`triggerUid`), for `handler` when given.
 */
export function isTriggerRun(
  e: { triggerUid?: string; authMode?: unknown } | undefined,
  handler?: string,
): boolean {
  if (!e || typeof e !== 'object' || e.authMode !== ScriptApp.AuthMode.FULL) return false;
  if (typeof e.triggerUid !== 'string' || !e.triggerUid) return false;
  // Every typed cell asks this: the owner and the owner's triggers as last listed are kept beside
  // the secret (one properties read for both, where listing the triggers is a call to the trigger
  // service). An ID not kept there — a trigger made since, or no list yet — is looked up live, and
  // the list kept again.
  const props = scriptProps();
  const all = props.getProperties();
  const owner = (all[PROP_OWNER] ?? '').toLowerCase();
  if (!owner || Session.getEffectiveUser().getEmail().toLowerCase() !== owner) return false;
  const kept = knownTriggers(all[PROP_OWN_TRIGGERS] ?? null);
  let handlerOf = kept[e.triggerUid];
  if (handlerOf === undefined) {
    const live: Record<string, string> = {};
    for (const t of ownTriggers()) live[t.getUniqueId()] = t.getHandlerFunction();
    props.setProperty(PROP_OWN_TRIGGERS, JSON.stringify(live));
    handlerOf = live[e.triggerUid];
  }
  return handlerOf !== undefined && (!handler || handlerOf === handler);
}

/** The owner's triggers as last listed: trigger ID → handler. */
export const PROP_OWN_TRIGGERS = 'OWN_TRIGGERS';

function knownTriggers(text: string | null): Record<string, string> {
  const out: Record<string, string> = Object.create(null);
  try {
    const v = JSON.parse(text ?? '{}') as Record<string, unknown>;
    for (const [k, h] of Object.entries(v ?? {})) if (typeof h === 'string') out[k] = h;
  } catch {
    // An unreadable list is no list: the triggers are looked up live.
  }
  return out;
}
