/**
 * The reader's API says what is wrong with each field as a stable code beside its English
 * text (`fieldCodes` in a validation problem; server: routes/field-codes.ts). The auth
 * client's error keeps neither, so the body is read here and the codes kept beside the error.
 */

export interface FieldCode {
  code: string;
  /** The bound the value broke (characters, items), where there is one. */
  limit?: number;
}

const remembered = new WeakMap<object, Readonly<Record<string, FieldCode>>>();

function readCode(value: unknown): FieldCode | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const { code, limit } = value as { code?: unknown; limit?: unknown };
  if (typeof code !== 'string') return undefined;
  return typeof limit === 'number' && Number.isFinite(limit) ? { code, limit } : { code };
}

function readCodes(body: unknown): Record<string, FieldCode> {
  if (typeof body !== 'object' || body === null || !('fieldCodes' in body)) return {};
  const raw = body.fieldCodes;
  if (typeof raw !== 'object' || raw === null) return {};
  const codes = new Map<string, FieldCode>();
  for (const [field, value] of Object.entries(raw)) {
    const code = readCode(value);
    if (code !== undefined) codes.set(field, code);
  }
  return Object.fromEntries(codes);
}

/** Keeps the codes of a failed response's problem body with the error made from it. */
export function rememberFieldCodes(error: object, body: unknown): void {
  const codes = readCodes(body);
  if (Object.keys(codes).length > 0) remembered.set(error, codes);
}

/** The field codes an error's problem carried; none for Gatehouse's own problems. */
export function fieldCodesOf(error: unknown): Readonly<Record<string, FieldCode>> {
  return (typeof error === 'object' && error !== null ? remembered.get(error) : undefined) ?? {};
}
