import type { Session } from '@gatehouse/client';
import Bowser from 'bowser';
import { i18n } from './i18n';

/*
 * A session's device in plain words, from its User-Agent: "Chrome on Windows", "Safari on
 * iPhone". bowser (a maintained parser) reads the string; this file only picks the words.
 * Only a label for people: the user agent is whatever the client claimed.
 */

/** Names bowser knows as browsers; for anything else it repeats the string's first product token. */
const KNOWN_BROWSERS: ReadonlySet<string> = new Set(Object.values(Bowser.BROWSER_MAP));

/** bowser's names, where people say them shorter. */
const BROWSER_LABELS: Readonly<Record<string, string>> = {
  'Microsoft Edge': 'Edge',
  'Samsung Internet for Android': 'Samsung Internet',
};

const SYSTEM_LABELS: Readonly<Record<string, string>> = { 'Chrome OS': 'ChromeOS' };

function browserOf(userAgent: string, parsed: Bowser.Parser.ParsedResult): string | undefined {
  // bowser calls it Chrome; a scripted browser signed in to the account is worth telling apart.
  if (/\bHeadlessChrome\//.test(userAgent)) return 'Headless Chrome';
  const name = parsed.browser.name;
  if (name === undefined || !KNOWN_BROWSERS.has(name)) return undefined;
  return BROWSER_LABELS[name] ?? name;
}

function systemOf(parsed: Bowser.Parser.ParsedResult): string | undefined {
  const name = parsed.os.name;
  if (name === undefined || name === '') return undefined;
  // "iPhone" and "iPad" say more than "iOS".
  if (name === 'iOS') return parsed.platform.model ?? name;
  return SYSTEM_LABELS[name] ?? name;
}

export function describeDevice(session: Pick<Session, 'userAgent' | 'kind'>): string {
  const userAgent = session.userAgent?.trim() ?? '';
  // Every browser's string starts "Mozilla/"; HTTP libraries and apps name themselves, and
  // bowser would call Android's ("Dalvik/2.1.0 (Linux; U; Android 14)") a browser.
  const parsed = userAgent.startsWith('Mozilla/') ? Bowser.parse(userAgent) : undefined;
  const browser = parsed && browserOf(userAgent, parsed);
  const system = parsed && systemOf(parsed);
  if (browser !== undefined && system !== undefined)
    return i18n.t('account:device.browserOnSystem', { browser, system });
  if (browser !== undefined) return browser;
  if (system !== undefined) return i18n.t('account:device.aBrowserOn', { system });
  // Not a browser: an app or script signed in with a token; its product name is the best label.
  const product = /^[\w.-]+/.exec(userAgent)?.[0];
  if (session.kind === 'bearer')
    return product === undefined ? i18n.t('account:device.app') : i18n.t('account:device.appNamed', { product });
  return product ?? i18n.t('account:device.unknown');
}
