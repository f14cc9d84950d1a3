// Dates, parties and validities written out in nl, fr, de or en, for e-mails, the inbox and the PDF proof.
import type { CalendarDate } from '../../core/dates.js';
import type { Language, Party } from '../../core/party.js';

export const LOCALES: Record<Language, string> = { nl: 'nl-BE', fr: 'fr-BE', de: 'de-BE', en: 'en-GB' };

const dayFormats = new Map<Language, Intl.DateTimeFormat>();
const instantFormats = new Map<Language, Intl.DateTimeFormat>();

/** A calendar date, e.g. "28 maart 2027" / "28 mars 2027" / "28. März 2027" / "28 March 2027". */
export function formatDay(day: CalendarDate, lang: Language): string {
  let f = dayFormats.get(lang);
  if (!f) {
    f = new Intl.DateTimeFormat(LOCALES[lang], { dateStyle: 'long', timeZone: 'UTC' });
    dayFormats.set(lang, f);
  }
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  return f.format(Date.UTC(y, m - 1, d));
}

/** An instant as a Brussels date and time. */
export function formatInstant(iso: string, lang: Language): string {
  let f = instantFormats.get(lang);
  if (!f) {
    f = new Intl.DateTimeFormat(LOCALES[lang], { dateStyle: 'long', timeStyle: 'short', timeZone: 'Europe/Brussels' });
    instantFormats.set(lang, f);
  }
  return f.format(new Date(iso));
}

/** 85073003328 → 85.07.30-033.28; 0403170701 → 0403.170.701. */
export function formatIdentifier(p: Party): string {
  if (p.kind === 'enterprise') return `${p.id.slice(0, 4)}.${p.id.slice(4, 7)}.${p.id.slice(7)}`;
  return `${p.id.slice(0, 2)}.${p.id.slice(2, 4)}.${p.id.slice(4, 6)}-${p.id.slice(6, 9)}.${p.id.slice(9)}`;
}

const PARTY_WORDS: Record<Language, { person: string; enterprise: string; nationalNumber: string }> = {
  nl: { person: 'persoon', enterprise: 'onderneming', nationalNumber: 'rijksregisternr.' },
  fr: { person: 'personne', enterprise: 'entreprise', nationalNumber: 'n° national' },
  de: { person: 'Person', enterprise: 'Unternehmen', nationalNumber: 'Nationalregisternr.' },
  en: { person: 'person', enterprise: 'enterprise', nationalNumber: 'national number' },
};

/**
 * A party as text. E-mail masks a person's national number (a protected identifier; mail travels in
 * clear and is kept in mailboxes) to its last digits; `full` is for signed-in readers (the PDF proof).
 */
export function formatParty(p: Party | null | undefined, lang: Language, options: { full?: boolean } = {}): string {
  const w = PARTY_WORDS[lang];
  if (!p) return { nl: 'de andere partij', fr: "l'autre partie", de: 'die andere Partei', en: 'the other party' }[lang];
  if (p.kind === 'enterprise') return `${w.enterprise} ${formatIdentifier(p)}`;
  return options.full ? `${w.person} ${formatIdentifier(p)}` : `${w.person} (${w.nationalNumber} …${p.id.slice(-4, -2)}.${p.id.slice(-2)})`;
}

/** "van 1 december 2026 tot en met 30 november 2027", or open-ended. */
export function formatValidity(validFrom: CalendarDate, validUntil: CalendarDate | null, lang: Language): string {
  const from = formatDay(validFrom, lang);
  if (validUntil === null) {
    return {
      nl: `vanaf ${from}, onbeperkt`,
      fr: `à partir du ${from}, sans limite`,
      de: `ab ${from}, unbefristet`,
      en: `from ${from}, without end date`,
    }[lang];
  }
  const until = formatDay(validUntil, lang);
  return {
    nl: `van ${from} tot en met ${until}`,
    fr: `du ${from} au ${until}`,
    de: `vom ${from} bis ${until}`,
    en: `from ${from} to ${until}`,
  }[lang];
}

/** "over 7 dagen" / "dans 7 jours" / "in 7 Tagen" / "in 7 days" (and the singular, and today). */
export function formatDaysLeft(days: number, lang: Language): string {
  if (days <= 0) return { nl: 'vandaag', fr: "aujourd'hui", de: 'heute', en: 'today' }[lang];
  if (days === 1) return { nl: 'over 1 dag', fr: 'dans 1 jour', de: 'in 1 Tag', en: 'in 1 day' }[lang];
  return { nl: `over ${days} dagen`, fr: `dans ${days} jours`, de: `in ${days} Tagen`, en: `in ${days} days` }[lang];
}

export const capitalize = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);
