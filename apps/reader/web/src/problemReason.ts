import type { ServerMessageParams } from './serverMessage';

/**
 * Some problems say why as a code: `reason` and `reasonParams` beside the English `detail`
 * (a subscribe that failed, an OPML file refused; server: routes/message-codes.ts). The
 * auth client's error keeps `reason` but not its parameters: the body is read in api.ts
 * and both kept here beside the error, for serverMessage().
 */

export interface ProblemReason {
  code: string;
  params: ServerMessageParams;
}

const remembered = new WeakMap<object, ProblemReason>();

function readReason(body: unknown): ProblemReason | undefined {
  if (typeof body !== 'object' || body === null || !('reason' in body) || typeof body.reason !== 'string') {
    return undefined;
  }
  const raw = 'reasonParams' in body ? body.reasonParams : undefined;
  const params = Object.entries(typeof raw === 'object' && raw !== null ? raw : {}).filter(
    (entry): entry is [string, string] => typeof entry[1] === 'string',
  );
  return { code: body.reason, params: Object.fromEntries(params) };
}

/** Keeps the reason of a failed response's problem body with the error made from it. */
export function rememberProblemReason(error: object, body: unknown): void {
  const reason = readReason(body);
  if (reason !== undefined) remembered.set(error, reason);
}

/** The reason a failed call's problem gave, if it gave one. */
export function reasonOf(error: unknown): ProblemReason | undefined {
  return typeof error === 'object' && error !== null ? remembered.get(error) : undefined;
}
