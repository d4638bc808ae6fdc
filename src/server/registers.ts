// In add-on mode one answer page (the project's web app, running as the deployer) serves every
// register, and a web app has no active spreadsheet (docs/addon-mode.md W5): a link must say which
// register it belongs to. Each register gets a random key at setup, indexed `REG:<key>` →
// spreadsheet ID in the installation's script properties; links carry `<key>.<token>`, and the
// token is still verified with that register's own secret, so register A's link cannot act on B.
// A random key rather than the spreadsheet ID keeps the file's ID out of mail. Bound mode is as before.
import { Refused } from '../domain/operations';
import { ADDON_MODE, installationProps, scriptProps, useRegister } from '../sheets/register-scope';

export const PROP_LINK_KEY = 'LINK_KEY';
const LINK_KEY = /^([A-Za-z0-9]{16})\./;
const linkIndex = (key: string) => `REG:${key}`;

/** Setup (add-on mode): the register's link key, made once and indexed to its spreadsheet ID. */
export function ensureLinkKey(ssId: string): void {
  if (!ADDON_MODE) return;
  const props = scriptProps();
  let key = props.getProperty(PROP_LINK_KEY);
  if (!key) {
    key = Utilities.getUuid().replace(/-/g, '').slice(0, 16);
    props.setProperty(PROP_LINK_KEY, key);
  }
  installationProps().setProperty(linkIndex(key), ssId);
}

/** A signed token as it goes into a link: led by the register's key in add-on mode. */
export function linkToken(token: string): string {
  if (!ADDON_MODE) return token;
  const key = scriptProps().getProperty(PROP_LINK_KEY);
  return key ? `${key}.${token}` : token;
}

/** The signed part of a link's token, which verifyToken checks ('' when an add-on link has no key). */
export function signedPart(token: string): string {
  if (!ADDON_MODE) return token;
  const m = LINK_KEY.exec(token);
  return m ? token.slice(m[0].length) : '';
}

/**
 * The answer page serves the register its link names (add-on mode). False for a link naming no
 * known register: the caller refuses it as it refuses any malformed link.
 */
export function openRegisterOfLink(token: string): boolean {
  if (!ADDON_MODE) return true;
  const key = LINK_KEY.exec(token)?.[1];
  const id = key ? installationProps().getProperty(linkIndex(key)) : null;
  if (!id) return false;
  let ss: GoogleAppsScript.Spreadsheet.Spreadsheet;
  try {
    ss = SpreadsheetApp.openById(id);
  } catch {
    // The web app runs as the deployer, who must be an editor of every register (W6).
    throw new Refused(
      'forbidden',
      '台帳を開けませんでした。回答ページを公開しているアカウントに台帳の編集権限があるか、事務局にお問い合わせください。',
    );
  }
  useRegister(ss);
  return true;
}

/** An answer's payload (apiAnswer, apiProgressAnswer), once the register its token (or inbox token) names is open. */
export function withRegisterOfLink<T>(payload: T): T {
  if (!ADDON_MODE) return payload;
  const p = (payload && typeof payload === 'object' ? payload : {}) as Record<string, unknown>;
  const token = typeof p.inbox === 'string' && p.inbox ? p.inbox : typeof p.token === 'string' ? p.token : '';
  if (!openRegisterOfLink(token))
    throw new Refused(
      'forbidden',
      'リンクが正しくありません。お手数ですが、メールの送信者(PT担当)にお問い合わせください。',
    );
  return payload;
}
