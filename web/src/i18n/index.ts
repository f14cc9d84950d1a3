// Sets up i18next: the language comes from the user's earlier choice (localStorage), else the
// browser, else English; the <html lang> follows it. Missing keys are recorded so tests can fail on them.
import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';
import { isLanguage, LANGUAGES, type Language } from '../lib/format.js';
import { resources } from './resources.js';

const STORAGE_KEY = 'ssm.language';

declare global {
  interface Window {
    /** Keys asked for but not found in any language: read by the browser tests. */
    __ssmMissingKeys?: string[];
  }
}

function storedLanguage(): Language | undefined {
  try {
    const value = window.localStorage.getItem(STORAGE_KEY);
    return isLanguage(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

/** The first of the browser's preferred languages we speak (nl-BE → nl), if any. */
export function browserLanguage(preferred: readonly string[]): Language | undefined {
  for (const tag of preferred) {
    const base = tag.toLowerCase().split('-')[0];
    if (isLanguage(base)) return base;
  }
  return undefined;
}

export function initialLanguage(): Language {
  return storedLanguage() ?? browserLanguage(navigator.languages?.length ? navigator.languages : [navigator.language]) ?? 'en';
}

export async function setupI18n(): Promise<typeof i18next> {
  window.__ssmMissingKeys = [];
  const lng = initialLanguage();
  await i18next.use(initReactI18next).init({
    resources,
    lng,
    supportedLngs: [...LANGUAGES],
    fallbackLng: false,
    interpolation: { escapeValue: false },
    returnNull: false,
    saveMissing: true,
    missingKeyHandler: (languages, _namespace, key) => {
      window.__ssmMissingKeys?.push(`${languages.join(',')}:${key}`);
    },
    react: { useSuspense: false },
  });
  document.documentElement.lang = lng;
  i18next.on('languageChanged', (language) => {
    document.documentElement.lang = language;
  });
  return i18next;
}

export async function changeLanguage(language: Language): Promise<void> {
  try {
    window.localStorage.setItem(STORAGE_KEY, language);
  } catch {
    // Private browsing may forbid storage; the choice then lasts for this page only.
  }
  await i18next.changeLanguage(language);
}
