import type { AuthClientError } from '@gatehouse/client';
import { fieldCodesOf, type FieldCode } from './fieldCodes';
import { currentLanguage, i18n } from './i18n';
import { reasonOf } from './problemReason';
import { serverMessage } from './serverMessage';

/*
 * What the server writes for people (a problem's `detail`, a field's message, a password
 * check) is English. Where the page speaks English, that text is shown as it is (but for a
 * validation summary, which only points to the fields: detailText). In another language it
 * is said again from these tables: by the code the server sends beside it where there is
 * one (field codes, a reason), else by its English text, which Gatehouse and the reader
 * keep stable; else by the problem's code. Policy as data: a text added on the server
 * without a row here is shown by its code's sentence.
 */

type Params = Readonly<Record<string, string>>;
type Say = (params: Params) => string;

const say = (key: string, params: Params) => i18n.t(key, { replace: { ...params } });

/** What follows a field's name ("Password must be at least 8 characters"), by its English. */
const FRAGMENTS: readonly (readonly [RegExp, Say])[] = [
  [/^is required$/u, () => i18n.t('problems:fragment.required')],
  [/^must be text$/u, () => i18n.t('problems:fragment.notText')],
  [/^is too long$/u, () => i18n.t('problems:fragment.tooLong')],
  [/^must be an email address$/u, () => i18n.t('problems:fragment.notEmail')],
  [/^must be at most (?<limit>\d+) characters$/u, (p) => say('problems:fragment.atMostCharacters', p)],
  [/^must be at least (?<limit>\d+) characters$/u, (p) => say('problems:fragment.atLeastCharacters', p)],
  [/^must be true or false$/u, () => i18n.t('problems:fragment.notBoolean')],
  [/^must be a number$/u, () => i18n.t('problems:fragment.notNumber')],
  [/^must not be empty$/u, () => i18n.t('problems:fragment.empty')],
  [/^is already taken by another folder$/u, () => i18n.t('problems:fragment.folderTaken')],
  [/^must be a folder id or null$/u, () => i18n.t('problems:fragment.notFolder')],
  [/^is one of the most common passwords/u, () => i18n.t('problems:fragment.passwordCommon')],
  [/^is a common password with digits or symbols added/u, () => i18n.t('problems:fragment.passwordCommonPadded')],
  [/^must not be only spaces$/u, () => i18n.t('problems:fragment.passwordBlank')],
  [/^must not be built from your name/u, () => i18n.t('problems:fragment.passwordContext')],
  [/^is incorrect$/u, () => i18n.t('problems:fragment.incorrect')],
  [/^was not accepted$/u, () => i18n.t('problems:fragment.notAccepted')],
  [/^is already your address$/u, () => i18n.t('problems:fragment.alreadyYourAddress')],
  [/^must be a (?:whole )?number of days$/u, () => i18n.t('problems:fragment.notDays')],
  [/^must be at least (?<limit>\d+)$/u, (p) => say('problems:fragment.atLeast', p)],
  [/^must be a list of scopes$/u, () => i18n.t('problems:fragment.notScopes')],
  [/^must name at least one scope$/u, () => i18n.t('problems:fragment.noScope')],
  [/^must not repeat a scope$/u, () => i18n.t('problems:fragment.repeatedScope')],
  [/^at most (?<limit>\d+) app passwords per user$/u, (p) => say('problems:fragment.appPasswordLimit', p)],
  [/^at most (?<limit>\d+) live keys per user$/u, (p) => say('problems:fragment.apiKeyLimit', p)],
];

/** The reader's field codes (server: routes/field-codes.ts). */
const CODES: Readonly<Record<string, Say>> = {
  required: () => i18n.t('problems:fragment.required'),
  not_text: () => i18n.t('problems:fragment.notText'),
  not_boolean: () => i18n.t('problems:fragment.notBoolean'),
  not_number: () => i18n.t('problems:fragment.notNumber'),
  wrong_type: () => i18n.t('problems:fragment.wrongType'),
  empty: () => i18n.t('problems:fragment.empty'),
  too_short: (p) => say('problems:fragment.atLeastCharacters', p),
  too_long: (p) => say('problems:fragment.atMostCharacters', p),
  too_small: (p) => say('problems:fragment.atLeast', p),
  too_big: (p) => say('problems:fragment.atMost', p),
  too_few: (p) => say('problems:fragment.atLeastItems', p),
  too_many: (p) => say('problems:fragment.atMostItems', p),
  not_allowed: () => i18n.t('problems:fragment.notAllowed'),
  invalid_format: () => i18n.t('problems:fragment.invalidFormat'),
  invalid: () => i18n.t('problems:fragment.invalid'),
};

/** The password check's reason codes, for a message the fragments above do not know. */
const PASSWORD_CODES: Readonly<Record<string, () => string>> = {
  too_short: () => i18n.t('problems:fragment.passwordTooShort'),
  too_long: () => i18n.t('problems:fragment.passwordTooLong'),
  common: () => i18n.t('problems:fragment.passwordCommon'),
  context: () => i18n.t('problems:fragment.passwordContext'),
};

/** Whole sentences Gatehouse and the reader write as a problem's detail, by their English. */
const SENTENCES: readonly (readonly [RegExp, Say])[] = [
  [/^Sign in to continue\.$/u, () => i18n.t('problems:detail.signInToContinue')],
  [/^That is already your email address\.$/u, () => i18n.t('problems:detail.alreadyYourAddress')],
  [/^The passkey was not accepted: start again/u, () => i18n.t('problems:detail.passkeyNotAdded')],
  [/^This passkey was not accepted/u, () => i18n.t('problems:detail.passkeyNotAccepted')],
  [/^The code is incorrect: check the time/u, () => i18n.t('problems:detail.totpIncorrect')],
  [/^You already have (?<limit>\d+) app passwords/u, (p) => say('problems:detail.appPasswordLimit', p)],
  [/^You already have (?<limit>\d+) API keys/u, (p) => say('problems:detail.apiKeyLimit', p)],
  [/^An authenticator app is already set up/u, () => i18n.t('problems:detail.totpAlreadySetUp')],
  [/^There is no authenticator setup waiting/u, () => i18n.t('problems:detail.totpSetupGone')],
  [/^This account has no passkey/u, () => i18n.t('problems:detail.noPasskey')],
  [/^Turn on two-factor authentication first/u, () => i18n.t('problems:detail.twoFactorOff')],
  [/^An API key cannot do this/u, () => i18n.t('problems:detail.notWithApiKey')],
  [/^This credential cannot manage the account/u, () => i18n.t('problems:detail.notWithApiKey')],
  [/^No API key with that id\.$/u, () => i18n.t('problems:detail.noApiKey')],
  [/^No passkey with that id\.$/u, () => i18n.t('problems:detail.noPasskeyWithId')],
  [/^No session with that id\.$/u, () => i18n.t('problems:detail.noSession')],
  [/^No such app password\.$/u, () => i18n.t('problems:detail.noAppPassword')],
  [/^No authenticator app is set up\.$/u, () => i18n.t('problems:detail.noTotp')],
  [/^No such folder\.$/u, () => i18n.t('problems:detail.noFolder')],
  [/^No such subscription\.$/u, () => i18n.t('problems:detail.noSubscription')],
  [/^No such item\.$/u, () => i18n.t('problems:detail.noItem')],
  [/^You already have a folder with that name\.$/u, () => i18n.t('problems:detail.folderTaken')],
  [/^OPML files up to 1 MiB can be imported\.$/u, () => i18n.t('problems:detail.opmlTooLarge')],
  [/^Send the OPML file with Content-Type/u, () => i18n.t('problems:detail.opmlMediaType')],
  [/^Request failed with status (?<status>\d+)\.$/u, (p) => say('problems:detail.httpStatus', p)],
];

/** A problem's code, when its detail is in no table: what the code always means. */
const BY_CODE: Readonly<Record<string, () => string>> = {
  unauthenticated: () => i18n.t('problems:sessionEnded'),
  forbidden: () => i18n.t('problems:byCode.forbidden'),
  not_found: () => i18n.t('problems:byCode.notFound'),
  validation_failed: () => i18n.t('problems:byCode.validationFailed'),
  unsupported_media_type: () => i18n.t('problems:byCode.unsupportedMediaType'),
  payload_too_large: () => i18n.t('problems:byCode.payloadTooLarge'),
  token_reused: () => i18n.t('problems:sessionEnded'),
  store_unavailable: () => i18n.t('problems:byCode.storeUnavailable'),
  conflict: () => i18n.t('problems:byCode.conflict'),
  full_text_unavailable: () => i18n.t('problems:byCode.fullTextUnavailable'),
  http_error: () => i18n.t('problems:byCode.httpError'),
};

const speaksEnglish = () => currentLanguage() === 'en';

function fromTable(table: readonly (readonly [RegExp, Say])[], text: string): string | undefined {
  for (const [pattern, sayIt] of table) {
    const match = pattern.exec(text);
    if (match !== null) return sayIt(match.groups ?? {});
  }
  return undefined;
}

/** Capitalised English, or closed by CJK punctuation: a whole sentence, not a fragment after a name. */
export function isSentence(text: string): boolean {
  return /^\p{Lu}/u.test(text) || /[。！？]$/u.test(text);
}

/** A fragment or sentence about one field, in the page's language. */
function fieldText(text: string, code: FieldCode | undefined, error: AuthClientError): string {
  const byCode = code === undefined ? undefined : CODES[code.code];
  if (byCode !== undefined) return byCode(code?.limit === undefined ? {} : { limit: String(code.limit) });
  const reason = reasonOf(error);
  // A subscribe's refused address: its reason is the sentence in the field.
  if (reason !== undefined && isSentence(text)) return serverMessage(i18n.t, reason.code, reason.params, text);
  return fromTable(FRAGMENTS, text) ?? fromTable(SENTENCES, text) ?? text;
}

/** The messages of a problem's fields, keyed as the server keyed them, in the page's language. */
export function fieldTexts(error: AuthClientError): Readonly<Record<string, string>> {
  const fields = error.fields ?? {};
  if (speaksEnglish()) return fields;
  const codes = fieldCodesOf(error);
  return Object.fromEntries(
    Object.entries(fields).map(([field, text]) => [field, fieldText(text, codes[field], error)]),
  );
}

/**
 * A validation problem said from its fields: a field's fragment is said next to its field
 * (fieldError), so the summary only points there; a whole sentence (a limit on the account,
 * say) belongs to no field and is said here.
 */
function fieldsSummary(error: AuthClientError): string | undefined {
  const texts = Object.values(fieldTexts(error));
  if (texts.length === 0) return undefined;
  const sentences = texts.filter((text) => isSentence(text)).map(closeSentence);
  const fragments = texts.length > sentences.length ? [i18n.t('problems:checkFields')] : [];
  return [...sentences, ...fragments].join(' ');
}

/** The reader's subscribe and OPML refusals, whose reason the reader helper's table says. */
function reasonSummary(error: AuthClientError): string | undefined {
  const reason = reasonOf(error);
  if (reason === undefined) return undefined;
  const subscribe = /^Could not subscribe to (?<url>.+?): (?<text>.+)$/su.exec(error.detail)?.groups;
  if (subscribe?.url !== undefined && subscribe.text !== undefined) {
    const said = serverMessage(i18n.t, reason.code, reason.params, subscribe.text);
    return say('problems:detail.subscribeFailed', { url: subscribe.url, reason: said });
  }
  const opml = /^Nothing was imported: (?<text>.+)$/su.exec(error.detail)?.groups;
  if (opml?.text !== undefined) {
    return say('problems:detail.opmlNotImported', {
      reason: serverMessage(i18n.t, reason.code, reason.params, opml.text),
    });
  }
  return undefined;
}

/**
 * A problem's detail in the page's language. Only a code no table knows (a newer server)
 * shows the English detail whatever the language.
 */
export function detailText(error: AuthClientError): string {
  const reason = reasonSummary(error);
  if (reason !== undefined) return reason;
  // A sentence written for this very case (a limit reached, a wrong code): it says more than
  // its fields ("at most 10 app passwords per user" belongs to no field on the page).
  const known = fromTable(SENTENCES, error.detail);
  if (known !== undefined) return speaksEnglish() ? error.detail : known;
  // In every language, English included: a validation detail ("Invalid input: password is
  // one of …") says again, with a prefix, what fieldError says next to the field (issue 19).
  const fromFields = error.code === 'validation_failed' ? fieldsSummary(error) : undefined;
  if (fromFields !== undefined) return fromFields;
  if (speaksEnglish()) return error.detail;
  return BY_CODE[error.code]?.() ?? error.detail;
}

/** Why the password check would refuse a password, as a fragment after the field's name. */
export function passwordAdvice(message: string, code: string | undefined): string {
  if (speaksEnglish()) return message;
  return fromTable(FRAGMENTS, message) ?? (code === undefined ? undefined : PASSWORD_CODES[code]?.()) ?? message;
}

/** "Password" and "must be at least 8 characters" as one sentence of the page's language. */
export function fieldSentence(noun: string, fragment: string): string {
  return i18n.t('problems:fieldSentence', { replace: { noun, fragment: fragment.replace(/[.。]$/u, '') } });
}

/** A sentence with its closing full stop, in its own script. */
export function closeSentence(text: string): string {
  if (/[.。!！?？]$/u.test(text)) return text;
  return `${text}${/\p{Script=Han}$/u.test(text) ? '。' : '.'}`;
}
