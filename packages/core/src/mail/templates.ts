/** What each template returns; the caller adds `to` and hands it to MailOutbox.enqueue. */
export interface MailContent {
  subject: string;
  text: string;
  html: string;
}

/** What every message takes. */
export interface MailContext {
  /** GATEHOUSE_APP_NAME: in every subject and signature. */
  appName: string;
  /** PUBLIC_ORIGIN, e.g. https://example.com (never the request's Host header). */
  origin: string;
  /** The app's reset page, where a notice sends someone who did not do it; default /reset-password. */
  resetPath?: string;
}

/** When and from where something happened; shown so the owner can recognise it (or not). */
export interface EventDetails {
  /** Epoch milliseconds, a Date or an ISO string; shown in UTC. */
  at: number | Date | string;
  ip: string | null;
  userAgent: string | null;
}

// User agents, device and key names come from whoever made the request: cap them so a
// crafted value cannot fill the message or push the warning out of view.
const MAX_FREE_TEXT = 200;

// ─── Pieces ───────────────────────────────────────────────────────────────────────────────

/** HTML-escapes a value for text and for quoted attributes. */
export function escapeHtml(value: string): string {
  return value
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');
}

/** One line of free text: no line breaks (they could forge lines in the text part), capped. */
function oneLine(value: string): string {
  const flat = value.replace(/[\r\n\t\u2028\u2029]+/g, ' ').trim();
  return flat.length > MAX_FREE_TEXT ? `${flat.slice(0, MAX_FREE_TEXT)}…` : flat;
}

/** Only http(s) links reach a message: a `javascript:` URL in an href would run on click. */
function checkedLink(link: string): string {
  const url = new URL(link);
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new TypeError(`mail links must be http(s), got ${url.protocol}`);
  }
  return link;
}

/** `2026-12-01 09:30 UTC`; a string that is not a time is shown as given (one line). */
function formatTime(at: number | Date | string): string {
  const date = new Date(at);
  if (Number.isNaN(date.getTime())) return typeof at === 'string' ? oneLine(at) : 'unknown time';
  return `${date.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

function resetUrl(context: MailContext): string {
  return checkedLink(`${context.origin}${context.resetPath ?? '/reset-password'}`);
}

/** A paragraph: plain text, or text with one link in it. */
type Block = string | { before: string; link: string; after?: string } | { list: [label: string, value: string][] };

/**
 * Builds both parts from the same blocks, so text and HTML always say the same thing. Every
 * value is escaped here, once, for the HTML part; no remote images, no tracking.
 */
function compose(context: MailContext, subject: string, blocks: Block[]): MailContent {
  const app = oneLine(context.appName);
  // The signature names the origin too: a reader can tell the real site from a look-alike.
  const origin = checkedLink(context.origin);
  const text: string[] = [];
  const html: string[] = [];
  for (const block of blocks) {
    if (typeof block === 'string') {
      text.push(block);
      html.push(`<p>${escapeHtml(block)}</p>`);
    } else if ('list' in block) {
      text.push(block.list.map(([label, value]) => `${label}: ${value}`).join('\n'));
      const items = block.list.map(([label, value]) => `<li>${escapeHtml(label)}: ${escapeHtml(value)}</li>`);
      html.push(`<ul>${items.join('')}</ul>`);
    } else {
      const link = checkedLink(block.link);
      text.push(`${block.before}\n${link}${block.after === undefined ? '' : `\n${block.after}`}`);
      const after = block.after === undefined ? '' : ` ${escapeHtml(block.after)}`;
      html.push(`<p>${escapeHtml(block.before)}<br><a href="${escapeHtml(link)}">${escapeHtml(link)}</a>${after}</p>`);
    }
  }
  text.push(`— ${app}, ${origin}`);
  html.push(`<p>— ${escapeHtml(app)}, <a href="${escapeHtml(origin)}">${escapeHtml(origin)}</a></p>`);
  return {
    subject: oneLine(`${subject} · ${app}`),
    text: `${text.join('\n\n')}\n`,
    html: [
      '<!doctype html>',
      '<html><head><meta charset="utf-8">',
      `<title>${escapeHtml(oneLine(subject))}</title></head>`,
      '<body style="font-family: sans-serif; line-height: 1.5; max-width: 36em;">',
      ...html,
      '</body></html>',
      '',
    ].join('\n'),
  };
}

function notYou(context: MailContext): Block {
  return { before: "If this wasn't you, reset your password at:", link: resetUrl(context) };
}

function eventList(details: EventDetails): Block {
  return {
    list: [
      ['When', formatTime(details.at)],
      ['IP address', details.ip === null ? 'unknown' : oneLine(details.ip)],
      ['Browser or app', details.userAgent === null ? 'unknown' : oneLine(details.userAgent)],
    ],
  };
}

// ─── Messages with a link ─────────────────────────────────────────────────────────────────

export function verifyEmail(input: MailContext & { link: string; expiresInHours: number }): MailContent {
  return compose(input, 'Verify your email address', [
    `Please confirm that this is your email address for ${oneLine(input.appName)}.`,
    { before: 'Open this link to verify it:', link: input.link },
    `The link works once and expires in ${String(input.expiresInHours)} hours. If you did not create an account, ignore this message.`,
  ]);
}

export function passwordReset(input: MailContext & { link: string; expiresInMinutes: number }): MailContent {
  return compose(input, 'Reset your password', [
    `Someone asked to reset the password of your ${oneLine(input.appName)} account.`,
    { before: 'Open this link to choose a new password:', link: input.link },
    `The link works once and expires in ${String(input.expiresInMinutes)} minutes.`,
    'If you did not ask for this, ignore this message: nothing changes and your password stays the same.',
  ]);
}

/** To the new address: proves its owner wants it on this account. */
export function emailChangeConfirm(input: MailContext & { link: string; newEmail: string }): MailContent {
  return compose(input, 'Confirm your new email address', [
    `Someone asked to use ${oneLine(input.newEmail)} as the email address of a ${oneLine(input.appName)} account.`,
    { before: 'Open this link to confirm the change:', link: input.link },
    'If you did not ask for this, ignore this message: nothing changes.',
  ]);
}

// ─── Notices ──────────────────────────────────────────────────────────────────────────────

/** To the old address, when the change is requested. */
export function emailChangeRequested(input: MailContext & { newEmail: string }): MailContent {
  return compose(input, 'Your email address is about to change', [
    `Someone asked to move your ${oneLine(input.appName)} account to ${oneLine(input.newEmail)}. It moves once the new address confirms.`,
    { before: "If this wasn't you, someone knows your password: change it now at:", link: resetUrl(input) },
  ]);
}

/** To the old address, once the change is done. */
export function emailChanged(input: MailContext & { newEmail: string }): MailContent {
  return compose(input, 'Your email address was changed', [
    `Your ${oneLine(input.appName)} account now uses ${oneLine(input.newEmail)}. This address no longer signs in.`,
    notYou(input),
  ]);
}

/** To an address someone asked to move their account to, which already has an account of its own. */
export function emailChangeToRegisteredAddress(input: MailContext): MailContent {
  return compose(input, 'Someone asked to use this address', [
    `Someone asked to move their ${oneLine(input.appName)} account to this email address. It already has an account, so nothing was changed.`,
    { before: 'If you forgot the password of your own account, you can reset it at:', link: resetUrl(input) },
    "If this wasn't you, you don't need to do anything.",
  ]);
}

export function passwordChanged(input: MailContext & { apiKeysRevoked: boolean } & EventDetails): MailContent {
  return compose(input, 'Your password was changed', [
    `The password of your ${oneLine(input.appName)} account was changed.`,
    eventList(input),
    input.apiKeysRevoked
      ? 'You were signed out everywhere else, and your API keys were revoked.'
      : 'You were signed out everywhere else; your API keys were kept.',
    notYou(input),
  ]);
}

export function passwordWasReset(input: MailContext & EventDetails): MailContent {
  return compose(input, 'Your password was reset', [
    `The password of your ${oneLine(input.appName)} account was reset with a link sent to this address.`,
    eventList(input),
    'You were signed out everywhere else, and your API keys were revoked.',
    notYou(input),
  ]);
}

export function apiKeyCreated(
  input: MailContext & {
    keyName: string;
    scopes: readonly string[];
    /** When the key stops working (ISO time), or null: never. */
    expiresAt: string | null;
    at: number | Date | string;
    ip: string | null;
  },
): MailContent {
  return compose(input, 'A new API key was created', [
    `A new API key was created on your ${oneLine(input.appName)} account.`,
    {
      list: [
        ['Name', oneLine(input.keyName)],
        ['Scopes', input.scopes.length === 0 ? 'none' : oneLine(input.scopes.join(', '))],
        ['Expires', input.expiresAt === null ? 'never' : formatTime(input.expiresAt)],
        ['When', formatTime(input.at)],
        ['IP address', input.ip === null ? 'unknown' : oneLine(input.ip)],
      ],
    },
    "If this wasn't you, delete the key in your account settings.",
    notYou(input),
  ]);
}

export function appPasswordCreated(
  input: MailContext & { name: string; at: number | Date | string; ip: string | null },
): MailContent {
  return compose(input, 'A new app password was created', [
    `A new app password was created on your ${oneLine(input.appName)} account. Reader apps use it to sync your feeds.`,
    {
      list: [
        ['Name', oneLine(input.name)],
        ['When', formatTime(input.at)],
        ['IP address', input.ip === null ? 'unknown' : oneLine(input.ip)],
      ],
    },
    "If this wasn't you, revoke it in your account settings.",
    notYou(input),
  ]);
}

export function newDeviceSignIn(
  input: MailContext & { at: number | Date | string; ip: string | null; device: string },
): MailContent {
  return compose(input, 'New sign-in to your account', [
    `Someone signed in to your ${oneLine(input.appName)} account from a device or browser not seen before.`,
    {
      list: [
        ['When', formatTime(input.at)],
        ['IP address', input.ip === null ? 'unknown' : oneLine(input.ip)],
        ['Device', oneLine(input.device)],
      ],
    },
    'If this was you, there is nothing to do.',
    notYou(input),
  ]);
}

export function accountDeleted(input: MailContext): MailContent {
  return compose(input, 'Your account was deleted', [
    `Your ${oneLine(input.appName)} account and its data were deleted. You have been signed out everywhere.`,
    'This cannot be undone. You are welcome to create a new account at any time.',
  ]);
}

/** What happened to a user's second factors; each gets its own notice. */
export type FactorChange =
  | { kind: 'totp_enabled' }
  | { kind: 'totp_disabled' }
  | { kind: 'passkey_added'; name: string }
  | { kind: 'passkey_removed'; name: string }
  | { kind: 'recovery_codes_generated' }
  | { kind: 'recovery_code_used'; remaining: number };

const FACTOR_SUBJECTS: Record<FactorChange['kind'], string> = {
  totp_enabled: 'Two-factor authentication was turned on',
  totp_disabled: 'Your authenticator app was removed',
  passkey_added: 'A passkey was added to your account',
  passkey_removed: 'A passkey was removed from your account',
  recovery_codes_generated: 'New recovery codes were created',
  recovery_code_used: 'A recovery code was used to sign in',
};

function factorSentence(change: FactorChange, appName: string): string {
  const account = `your ${oneLine(appName)} account`;
  switch (change.kind) {
    case 'totp_enabled':
      return `An authenticator app now protects ${account}: signing in takes a code from it after the password.`;
    case 'totp_disabled':
      return `The authenticator app was removed from ${account}: it no longer asks for its codes.`;
    case 'passkey_added':
      return `The passkey "${oneLine(change.name)}" was added to ${account}. It can sign in without the password.`;
    case 'passkey_removed':
      return `The passkey "${oneLine(change.name)}" was removed from ${account}.`;
    case 'recovery_codes_generated':
      return `New recovery codes were created for ${account}; the earlier ones no longer work.`;
    case 'recovery_code_used':
      return `A recovery code was used to sign in to ${account}. ${String(change.remaining)} unused codes remain.`;
  }
}

export function secondFactorChanged(input: MailContext & EventDetails & { change: FactorChange }): MailContent {
  return compose(input, FACTOR_SUBJECTS[input.change.kind], [
    factorSentence(input.change, input.appName),
    eventList(input),
    notYou(input),
  ]);
}
