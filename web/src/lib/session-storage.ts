// Small sessionStorage helpers: drafts survive the round trip through sign-in (re-authentication
// before signing reloads the page), and a flag says we came back from it.
import { reauthenticateUrl } from './api.js';

const REAUTH_KEY = 'ssm.reauthFor';

export function readJson<T>(key: string): T | undefined {
  try {
    const raw = window.sessionStorage.getItem(key);
    return raw ? (JSON.parse(raw) as T) : undefined;
  } catch {
    return undefined;
  }
}

export function writeJson(key: string, value: unknown): void {
  try {
    if (value === undefined) window.sessionStorage.removeItem(key);
    else window.sessionStorage.setItem(key, JSON.stringify(value));
  } catch {
    // Without storage, answers last as long as the page.
  }
}

/** Sends the person to sign in again, to come back to `returnTo` and confirm once more. */
export function reauthenticate(returnTo: string): void {
  writeJson(REAUTH_KEY, returnTo);
  window.location.assign(reauthenticateUrl(returnTo));
}

/** True once, when this page is where a re-authentication came back to. */
export function takeReauthFlag(path: string): boolean {
  const flagged = readJson<string>(REAUTH_KEY) === path;
  if (flagged) writeJson(REAUTH_KEY, undefined);
  return flagged;
}
