import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/*
 * The web app's own translations, read from its locale files, so a browser test finds a
 * button by what that language calls it: the test then proves the screen says the
 * translation, and a reworded text changes one file, not the tests.
 */

const LOCALES = fileURLToPath(new URL('../../web/src/i18n/locales/', import.meta.url));

export type Language = 'en' | 'zh-CN';

/** "namespace:key" → text of one language; `vars` fill its {{placeholders}}. */
export type LocaleText = (key: string, vars?: Readonly<Record<string, string | number>>) => string;

function flatten(value: unknown, prefix: string, into: Map<string, string>): void {
  if (typeof value === 'string') into.set(prefix, value);
  else if (typeof value === 'object' && value !== null) {
    for (const [key, child] of Object.entries(value)) flatten(child, `${prefix}.${key}`, into);
  }
}

export function localeText(language: Language): LocaleText {
  const texts = new Map<string, string>();
  for (const file of readdirSync(`${LOCALES}${language}`)) {
    if (!file.endsWith('.json')) continue;
    const namespace = file.slice(0, -'.json'.length);
    const parsed: unknown = JSON.parse(readFileSync(`${LOCALES}${language}/${file}`, 'utf8'));
    for (const [key, child] of Object.entries(parsed as object)) flatten(child, `${namespace}:${key}`, texts);
  }
  return (key, vars = {}) => {
    const count = vars.count;
    const plural = count === undefined ? undefined : texts.get(`${key}_${count === 1 ? 'one' : 'other'}`);
    const text = plural ?? texts.get(`${key}_other`) ?? texts.get(key);
    if (text === undefined) throw new Error(`no ${language} text for ${key}`);
    return text.replace(/\{\{\s*(\w+)\s*\}\}/gu, (whole, name: string) => {
      const value = vars[name];
      return value === undefined ? whole : String(value);
    });
  };
}
