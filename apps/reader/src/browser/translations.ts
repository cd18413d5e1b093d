import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/*
 * The web app's own strings (web/src/i18n/locales), so a browser test finds a button by
 * what the page says in the language under test, and a renamed string breaks nothing.
 */

export type Language = 'en' | 'zh-CN';

const LOCALES = fileURLToPath(new URL('../../web/src/i18n/locales/', import.meta.url));
const loaded = new Map<string, Record<string, unknown>>();

function namespace(language: Language, name: string): Record<string, unknown> {
  const file = `${LOCALES}${language}/${name}.json`;
  let strings = loaded.get(file);
  if (strings === undefined) {
    strings = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    loaded.set(file, strings);
  }
  return strings;
}

/**
 * The text of "namespace:key.path" in a language, its {{placeholders}} filled in (a
 * ", number" format is written as the plain number). Throws for a key that is not there.
 */
export function say(language: Language, key: string, values: Readonly<Record<string, string | number>> = {}): string {
  const [name = '', path = ''] = key.split(':');
  let text: unknown = namespace(language, name);
  for (const part of path.split('.')) {
    text = typeof text === 'object' && text !== null ? (text as Record<string, unknown>)[part] : undefined;
  }
  if (typeof text !== 'string') throw new Error(`no "${key}" in ${language}`);
  return text.replace(/\{\{\s*(\w+)[^}]*\}\}/gu, (placeholder, name: string) => {
    const value = values[name];
    if (value === undefined) throw new Error(`${key}: no value for ${placeholder}`);
    return String(value);
  });
}
