// The four languages' texts, as i18next resources (one namespace).
import { de } from './locales/de.js';
import { en } from './locales/en.js';
import { fr } from './locales/fr.js';
import { nl } from './locales/nl.js';

export const resources = {
  nl: { translation: nl },
  fr: { translation: fr },
  de: { translation: de },
  en: { translation: en },
} as const;
