import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { languageFromBrowser } from './language';
import { RESOURCES } from './resources';

/**
 * Every string the app shows comes from a key; this proves each key it names exists in both
 * languages, and that the two languages say the same things (same keys, same placeholders).
 * Keys are written as literal "namespace:key" strings (see spec: never built at run time),
 * which is what lets a test read them from the source.
 */

const SOURCE_ROOT = fileURLToPath(new URL('..', import.meta.url));
const LOCALES = fileURLToPath(new URL('./locales', import.meta.url));
const PLURAL_SUFFIX = /_(zero|one|two|few|many|other)$/;

type Strings = Map<string, string>;

function flatten(value: unknown, prefix: string, into: Strings): Strings {
  if (typeof value === 'string') into.set(prefix, value);
  else if (value !== null && typeof value === 'object') {
    for (const [key, child] of Object.entries(value)) flatten(child, prefix === '' ? key : `${prefix}.${key}`, into);
  } else throw new Error(`${prefix}: a translation must be text or a group of texts`);
  return into;
}

function loadLanguage(language: string): Strings {
  const strings: Strings = new Map();
  for (const file of readdirSync(join(LOCALES, language))) {
    if (!file.endsWith('.json')) continue;
    const namespace = file.slice(0, -'.json'.length);
    flatten(JSON.parse(readFileSync(join(LOCALES, language, file), 'utf8')), '', new Map()).forEach((text, key) =>
      strings.set(`${namespace}:${key}`, text),
    );
  }
  return strings;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'locales' ? [] : sourceFiles(path);
    return /\.tsx?$/.test(entry.name) && !entry.name.endsWith('.test.ts') ? [path] : [];
  });
}

const english = loadLanguage('en');
const chinese = loadLanguage('zh-CN');
const namespaces = readdirSync(join(LOCALES, 'en')).map((file) => file.replace(/\.json$/, ''));
const baseKey = (key: string) => key.replace(PLURAL_SUFFIX, '');
const hasKey = (strings: Strings, key: string) =>
  strings.has(key) || [...strings.keys()].some((known) => baseKey(known) === key && known !== key);
const placeholders = (text: string) => [...text.matchAll(/\{\{\s*([\w.]+)[^}]*\}\}/g)].map((m) => m[1]).sort();

/** Every "namespace:key" literal in the app's source, with where it was found. */
function usedKeys(): Map<string, string> {
  const pattern = new RegExp(`(['"\`])((?:${namespaces.join('|')}):[A-Za-z0-9_.-]+)\\1`, 'g');
  const used = new Map<string, string>();
  for (const file of sourceFiles(SOURCE_ROOT)) {
    const source = readFileSync(file, 'utf8');
    for (const match of source.matchAll(pattern)) used.set(match[2] ?? '', relative(SOURCE_ROOT, file));
  }
  return used;
}

describe('translations', () => {
  it('have every key the app names, in both languages', () => {
    const used = usedKeys();
    expect(used.size).toBeGreaterThan(0);
    const missing = [...used]
      .flatMap(([key, file]) => [
        ...(hasKey(english, key) ? [] : [`en ${key} (${file})`]),
        ...(hasKey(chinese, key) ? [] : [`zh-CN ${key} (${file})`]),
      ])
      .sort();
    expect(missing).toEqual([]);
  });

  it('never build a key at run time', () => {
    const built = sourceFiles(SOURCE_ROOT).flatMap((file) =>
      [...readFileSync(file, 'utf8').matchAll(/\bt\(\s*`[^`]*\$\{/g)].map(() => relative(SOURCE_ROOT, file)),
    );
    expect(built).toEqual([]);
  });

  it('say the same things in English and Chinese', () => {
    const englishKeys = new Set([...english.keys()].map(baseKey));
    const chineseKeys = new Set([...chinese.keys()].map(baseKey));
    expect([...chineseKeys].filter((key) => !englishKeys.has(key)).sort()).toEqual([]);
    expect([...englishKeys].filter((key) => !chineseKeys.has(key)).sort()).toEqual([]);
  });

  it('keep the placeholders of each text', () => {
    const mismatched: string[] = [];
    for (const [key, text] of english) {
      const base = baseKey(key);
      const other = chinese.get(key) ?? chinese.get(`${base}_other`) ?? chinese.get(base);
      if (other !== undefined && placeholders(text).join() !== placeholders(other).join()) mismatched.push(key);
    }
    expect(mismatched).toEqual([]);
  });

  it('give English plurals both forms and Chinese its one form', () => {
    const incomplete: string[] = [];
    for (const key of english.keys()) {
      if (!key.endsWith('_one') && !key.endsWith('_other')) continue;
      const base = baseKey(key);
      if (!english.has(`${base}_one`) || !english.has(`${base}_other`)) incomplete.push(`en ${base}`);
      if (!chinese.has(`${base}_other`)) incomplete.push(`zh-CN ${base}`);
    }
    expect([...new Set(incomplete)]).toEqual([]);
  });

  it('are all bundled: every locale file on disk is in resources.ts, with its contents', () => {
    for (const language of ['en', 'zh-CN'] as const) {
      const onDisk = readdirSync(join(LOCALES, language)).filter((file) => file.endsWith('.json'));
      const bundled: Record<string, unknown> = RESOURCES[language];
      expect(Object.keys(bundled).sort()).toEqual(onDisk.map((file) => file.replace(/\.json$/, '')).sort());
      for (const file of onDisk) {
        expect(bundled[file.replace(/\.json$/, '')]).toEqual(
          JSON.parse(readFileSync(join(LOCALES, language, file), 'utf8')),
        );
      }
    }
  });

  it('has no empty texts', () => {
    const empty = [...english, ...chinese].filter(([, text]) => text.trim() === '').map(([key]) => key);
    expect(empty).toEqual([]);
  });
});

describe('languageFromBrowser', () => {
  it('takes the first language we speak from the browser list', () => {
    expect(languageFromBrowser(['fr-FR', 'zh-CN', 'en'])).toBe('zh-CN');
    expect(languageFromBrowser(['en-GB', 'zh'])).toBe('en');
    expect(languageFromBrowser(['zh-TW'])).toBe('zh-CN');
    expect(languageFromBrowser(['zh-Hans-CN'])).toBe('zh-CN');
    expect(languageFromBrowser(['de', 'ja'])).toBe('en');
    expect(languageFromBrowser([])).toBe('en');
  });
});
