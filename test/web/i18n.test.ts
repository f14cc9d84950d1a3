// Every text exists in the four languages, with the same placeholders, and every problem code the
// API can answer with has a message in each.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REFUSAL_CODES } from '../../src/core/refusal.js';
import { resources } from '../../web/src/i18n/resources.js';
import { errorMessageKey, HTTP_ERROR_CODES, KNOWN_ERROR_CODES } from '../../web/src/lib/errors.js';
import { LANGUAGES } from '../../web/src/lib/format.js';

type Tree = { [key: string]: string | Tree };

function flatten(tree: Tree, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  for (const [key, value] of Object.entries(tree)) {
    if (typeof value === 'string') out.set(`${prefix}${key}`, value);
    else for (const [k, v] of flatten(value, `${prefix}${key}.`)) out.set(k, v);
  }
  return out;
}

const messages = Object.fromEntries(LANGUAGES.map((l) => [l, flatten(resources[l].translation as unknown as Tree)])) as Record<
  (typeof LANGUAGES)[number],
  Map<string, string>
>;
const placeholders = (text: string) => [...new Set([...text.matchAll(/\{\{\s*(\w+)\s*\}\}/g)].map((m) => m[1]))].sort();

describe('translations', () => {
  it('have exactly the same keys in nl, fr, de and en', () => {
    const english = [...messages.en.keys()].sort();
    for (const language of LANGUAGES) expect([...messages[language].keys()].sort(), language).toEqual(english);
  });

  it('have no empty text', () => {
    for (const language of LANGUAGES) {
      for (const [key, text] of messages[language]) expect(text.trim(), `${language}:${key}`).not.toBe('');
    }
  });

  it('use the same placeholders in every language', () => {
    for (const [key, text] of messages.en) {
      for (const language of LANGUAGES)
        expect(placeholders(messages[language].get(key) ?? ''), `${language}:${key}`).toEqual(placeholders(text));
    }
  });

  it('are really translated: most texts differ from English', () => {
    for (const language of ['nl', 'fr', 'de'] as const) {
      const same = [...messages.en].filter(([key, text]) => messages[language].get(key) === text && !key.startsWith('language.'));
      // Proper names and a few short words (Demo, Version, Signatures …) may coincide.
      expect(same.length, `${language}: ${same.map(([k]) => k).join(', ')}`).toBeLessThan(8);
    }
  });

  it('name the language switcher entries in their own language', () => {
    for (const language of LANGUAGES) {
      expect(messages[language].get('language.nl')).toBe('Nederlands');
      expect(messages[language].get('language.fr')).toBe('Français');
      expect(messages[language].get('language.de')).toBe('Deutsch');
      expect(messages[language].get('language.en')).toBe('English');
    }
  });
});

describe('problem codes', () => {
  it('every refusal code of the domain has a message in all four languages', () => {
    for (const code of Object.keys(REFUSAL_CODES)) {
      expect(errorMessageKey(code)).toBe(`errors.${code}`);
      for (const language of LANGUAGES) expect(messages[language].get(`errors.${code}`), `${language}:${code}`).toBeTruthy();
    }
  });

  it('every HTTP-level code has a message in all four languages', () => {
    for (const code of [...HTTP_ERROR_CODES, 'NETWORK', 'UNEXPECTED_RESPONSE', 'UNKNOWN']) {
      for (const language of LANGUAGES) expect(messages[language].get(`errors.${code}`), `${language}:${code}`).toBeTruthy();
    }
  });

  it('every code the server code can raise is known to the web application', () => {
    const files: string[] = [];
    const walk = (dir: string) => {
      for (const name of readdirSync(dir)) {
        const path = join(dir, name);
        if (statSync(path).isDirectory()) walk(path);
        else if (path.endsWith('.ts')) files.push(path);
      }
    };
    walk(join(import.meta.dirname, '../../src'));
    const raised = new Set<string>();
    for (const file of files) {
      for (const match of readFileSync(file, 'utf8').matchAll(/(?:HttpProblem|SignInError)\(\s*\d{3},\s*'([A-Z][A-Z0-9_]+)'/g))
        raised.add(match[1]!);
    }
    expect(raised.size).toBeGreaterThan(5);
    const unknown = [...raised].filter((code) => !KNOWN_ERROR_CODES.includes(code));
    expect(unknown, 'add these codes to web/src/lib/errors.ts and the four locale files').toEqual([]);
  });

  it('an unknown code falls back to the generic message', () => {
    expect(errorMessageKey('SOMETHING_NEW')).toBe('errors.UNKNOWN');
  });
});
