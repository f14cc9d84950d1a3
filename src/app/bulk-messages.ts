// The messages of bulk reports in the user's language (nl, fr, de, en): one per refusal code of the
// domain core and per CSV/bulk code. `{name}` is filled from the problem's details when present.
import type { Language } from '../core/party.js';
import type { RefusalCode } from '../core/refusal.js';
import type { BulkCode } from './bulk-operations.js';

type Catalogue = Record<RefusalCode | BulkCode, Record<Language, string>>;

export const BULK_MESSAGES: Catalogue = {
  IDENTIFIER_FORMAT: {
    nl: 'Dit nummer heeft niet de juiste vorm (rijksregisternummer: 11 cijfers, ondernemingsnummer: 10 cijfers).',
    fr: "Ce numéro n'a pas la bonne forme (numéro de registre national : 11 chiffres, numéro d'entreprise : 10 chiffres).",
    de: 'Diese Nummer hat nicht die richtige Form (Nationalregisternummer: 11 Ziffern, Unternehmensnummer: 10 Ziffern).',
    en: 'This number is not in the right form (national number: 11 digits, enterprise number: 10 digits).',
  },
  IDENTIFIER_DATE: {
    nl: 'De geboortedatum in dit rijksregisternummer bestaat niet.',
    fr: "La date de naissance contenue dans ce numéro de registre national n'existe pas.",
    de: 'Das Geburtsdatum in dieser Nationalregisternummer existiert nicht.',
    en: 'The birth date in this national number does not exist.',
  },
  IDENTIFIER_CHECK_DIGIT: {
    nl: 'De controlecijfers van dit nummer kloppen niet: controleer het op tikfouten.',
    fr: 'Les chiffres de contrôle de ce numéro ne correspondent pas : vérifiez les fautes de frappe.',
    de: 'Die Prüfziffern dieser Nummer stimmen nicht: prüfen Sie sie auf Tippfehler.',
    en: 'The check digits of this number do not match: look for a typing error.',
  },
  PARTY_INVALID: {
    nl: 'Een partij is een persoon of een onderneming met haar nummer.',
    fr: 'Une partie est une personne ou une entreprise avec son numéro.',
    de: 'Eine Partei ist eine Person oder ein Unternehmen mit ihrer Nummer.',
    en: 'A party is a person or an enterprise with its number.',
  },
  PARTY_KIND: {
    nl: 'Een partij is een persoon of een onderneming.',
    fr: 'Une partie est une personne ou une entreprise.',
    de: 'Eine Partei ist eine Person oder ein Unternehmen.',
    en: 'A party is a person or an enterprise.',
  },
  PARTY_KIND_NOT_ALLOWED: {
    nl: 'Dit soort partij is niet toegelaten voor dit type mandaat.',
    fr: "Ce genre de partie n'est pas admis pour ce type de mandat.",
    de: 'Diese Art von Partei ist für diese Mandatsart nicht zulässig.',
    en: 'This kind of party is not allowed for this type of mandate.',
  },
  PARTIES_IDENTICAL: {
    nl: 'Mandaatgever en mandaatnemer moeten verschillende partijen zijn.',
    fr: 'Le mandant et le mandataire doivent être des parties différentes.',
    de: 'Vollmachtgeber und Bevollmächtigter müssen verschiedene Parteien sein.',
    en: 'The mandator and the mandatee must be different parties.',
  },
  TYPE_UNKNOWN: {
    nl: 'Dit type mandaat bestaat niet.',
    fr: "Ce type de mandat n'existe pas.",
    de: 'Diese Mandatsart gibt es nicht.',
    en: 'There is no such type of mandate.',
  },
  LANGUAGE_UNKNOWN: {
    nl: 'De taal is nl, fr, de of en.',
    fr: 'La langue est nl, fr, de ou en.',
    de: 'Die Sprache ist nl, fr, de oder en.',
    en: 'The language is nl, fr, de or en.',
  },
  REFERENCE_TOO_LONG: {
    nl: 'De referentie is te lang (hoogstens 500 tekens).',
    fr: 'La référence est trop longue (500 caractères au plus).',
    de: 'Die Referenz ist zu lang (höchstens 500 Zeichen).',
    en: 'The reference is too long (500 characters at most).',
  },
  REASON_TOO_LONG: {
    nl: 'De reden is te lang (hoogstens 500 tekens).',
    fr: 'Le motif est trop long (500 caractères au plus).',
    de: 'Der Grund ist zu lang (höchstens 500 Zeichen).',
    en: 'The reason is too long (500 characters at most).',
  },
  DATE_INVALID: {
    nl: 'Dit is geen geldige datum (JJJJ-MM-DD, DD/MM/JJJJ of JJJJMMDD).',
    fr: "Ce n'est pas une date valable (AAAA-MM-JJ, JJ/MM/AAAA ou AAAAMMJJ).",
    de: 'Das ist kein gültiges Datum (JJJJ-MM-TT, TT/MM/JJJJ oder JJJJMMTT).',
    en: 'This is not a valid date (YYYY-MM-DD, DD/MM/YYYY or YYYYMMDD).',
  },
  VALIDITY_BACKDATED: {
    nl: 'Een mandaat kan niet in het verleden beginnen of eindigen (vandaag is {today}).',
    fr: "Un mandat ne peut pas commencer ni finir dans le passé (aujourd'hui : {today}).",
    de: 'Ein Mandat kann nicht in der Vergangenheit beginnen oder enden (heute ist der {today}).',
    en: 'A mandate cannot start or end in the past (today is {today}).',
  },
  VALIDITY_END_BEFORE_START: {
    nl: 'De einddatum ligt voor de begindatum.',
    fr: 'La date de fin précède la date de début.',
    de: 'Das Enddatum liegt vor dem Anfangsdatum.',
    en: 'The end date is before the start date.',
  },
  VALIDITY_UNLIMITED_FORBIDDEN: {
    nl: 'Dit type mandaat heeft een einddatum nodig.',
    fr: 'Ce type de mandat exige une date de fin.',
    de: 'Diese Mandatsart braucht ein Enddatum.',
    en: 'This type of mandate needs an end date.',
  },
  VALIDITY_TOO_LONG: {
    nl: 'Dit mandaat duurt te lang voor zijn type (uiterlijk tot {latest}).',
    fr: "Ce mandat dure trop longtemps pour son type (jusqu'au {latest} au plus tard).",
    de: 'Dieses Mandat dauert für seine Art zu lange (spätestens bis {latest}).',
    en: 'This mandate lasts too long for its type (until {latest} at the latest).',
  },
  MANDATE_DUPLICATE: {
    nl: 'Er bestaat al een lopend mandaat voor dezelfde partijen en hetzelfde type ({mandateId}).',
    fr: 'Un mandat en cours existe déjà pour les mêmes parties et le même type ({mandateId}).',
    de: 'Für dieselben Parteien und dieselbe Art besteht bereits ein laufendes Mandat ({mandateId}).',
    en: 'A live mandate already exists for the same parties and type ({mandateId}).',
  },
  MANDATE_NOT_FOUND: {
    nl: 'Dit mandaat bestaat niet bij uw mandaten.',
    fr: "Ce mandat n'existe pas parmi vos mandats.",
    de: 'Dieses Mandat gibt es unter Ihren Mandaten nicht.',
    en: 'There is no such mandate among yours.',
  },
  MANDATE_NOT_PARTY: {
    nl: 'Dit mandaat bestaat niet bij uw mandaten.',
    fr: "Ce mandat n'existe pas parmi vos mandats.",
    de: 'Dieses Mandat gibt es unter Ihren Mandaten nicht.',
    en: 'There is no such mandate among yours.',
  },
  ACTOR_NOT_REPRESENTATIVE: {
    nl: 'U mag niet optreden voor deze partij.',
    fr: "Vous n'êtes pas autorisé à agir pour cette partie.",
    de: 'Sie dürfen nicht für diese Partei handeln.',
    en: 'You may not act for this party.',
  },
  ACTOR_NOT_SIGNER: {
    nl: 'Alleen de partij die ondertekende kan dit intrekken; u kunt het weigeren.',
    fr: 'Seule la partie qui a signé peut le retirer ; vous pouvez le refuser.',
    de: 'Nur die Partei, die unterschrieben hat, kann es zurückziehen; Sie können es ablehnen.',
    en: 'Only the party that signed can withdraw it; you can refuse it.',
  },
  MANDATE_ALREADY_SIGNED: {
    nl: 'U hebt dit al ondertekend.',
    fr: 'Vous avez déjà signé.',
    de: 'Sie haben bereits unterschrieben.',
    en: 'You have already signed this.',
  },
  MANDATE_STATUS: {
    nl: 'Dit kan niet in de huidige toestand van het mandaat ({status}).',
    fr: "Ce n'est pas possible dans l'état actuel du mandat ({status}).",
    de: 'Das ist im aktuellen Zustand des Mandats nicht möglich ({status}).',
    en: 'This is not possible in the mandate’s current status ({status}).',
  },
  MANDATE_ENDED: {
    nl: 'Dit mandaat is beëindigd.',
    fr: 'Ce mandat a pris fin.',
    de: 'Dieses Mandat ist beendet.',
    en: 'This mandate has ended.',
  },
  MANDATE_VERSION_STALE: {
    nl: 'Het mandaat is intussen gewijzigd (nu versie {version}): herlaad het.',
    fr: 'Le mandat a changé entre-temps (version {version}) : rechargez-le.',
    de: 'Das Mandat hat sich inzwischen geändert (jetzt Version {version}): laden Sie es neu.',
    en: 'The mandate changed in the meantime (now version {version}): reload it.',
  },
  MANDATE_NOT_LAPSABLE: {
    nl: 'De termijn van het voorstel is nog niet verstreken.',
    fr: "Le délai de la proposition n'est pas encore écoulé.",
    de: 'Die Frist des Vorschlags ist noch nicht abgelaufen.',
    en: 'The proposal period has not ended.',
  },
  AMENDMENT_NO_CHANGE: {
    nl: 'De wijziging verandert niets.',
    fr: 'La modification ne change rien.',
    de: 'Die Änderung ändert nichts.',
    en: 'The amendment changes nothing.',
  },
  AMENDMENT_PENDING: {
    nl: 'Er wacht al een wijziging op ondertekening.',
    fr: 'Une modification attend déjà une signature.',
    de: 'Eine Änderung wartet bereits auf Unterschrift.',
    en: 'An amendment already waits for a signature.',
  },
  AMENDMENT_NONE: {
    nl: 'Dit mandaat heeft geen wijziging die wacht.',
    fr: "Ce mandat n'a pas de modification en attente.",
    de: 'Dieses Mandat hat keine wartende Änderung.',
    en: 'This mandate has no pending amendment.',
  },
  AMENDMENT_START_LOCKED: {
    nl: 'De begindatum van een mandaat dat al begonnen is, kan niet meer veranderen.',
    fr: "La date de début d'un mandat déjà commencé ne peut plus changer.",
    de: 'Das Anfangsdatum eines bereits begonnenen Mandats kann nicht mehr geändert werden.',
    en: 'The start of a mandate that has begun cannot change.',
  },
  TRANSFER_SAME_MANDATEE: {
    nl: 'De nieuwe mandaatnemer is de huidige mandaatnemer.',
    fr: 'Le nouveau mandataire est le mandataire actuel.',
    de: 'Der neue Bevollmächtigte ist der jetzige Bevollmächtigte.',
    en: 'The new mandatee is the current mandatee.',
  },
  TRANSFER_PENDING: {
    nl: 'Er loopt al een overdracht van dit mandaat.',
    fr: 'Un transfert de ce mandat est déjà en cours.',
    de: 'Eine Übertragung dieses Mandats läuft bereits.',
    en: 'A transfer of this mandate is already pending.',
  },
  EXECUTOR_TYPE_NOT_FOR_ENTERPRISES: {
    nl: 'Mandaten van dit type worden nooit aan ondernemingen gegeven; niemand voert ze voor een onderneming uit.',
    fr: 'Les mandats de ce type ne sont jamais donnés à des entreprises ; personne ne les exécute pour une entreprise.',
    de: 'Mandate dieses Typs werden nie Unternehmen erteilt; niemand führt sie für ein Unternehmen aus.',
    en: 'Mandates of this type are never given to enterprises, so nobody executes them for one.',
  },
  EXECUTOR_TYPES_TOO_MANY: {
    nl: 'Te veel mandaattypes voor één persoon.',
    fr: 'Trop de types de mandat pour une seule personne.',
    de: 'Zu viele Mandatstypen für eine Person.',
    en: 'Too many mandate types for one person.',
  },
  SIGNATURE_AUTH_TOO_OLD: {
    nl: 'Ondertekenen vraagt een recente aanmelding: meld u opnieuw aan.',
    fr: 'Signer demande une connexion récente : reconnectez-vous.',
    de: 'Unterschreiben erfordert eine aktuelle Anmeldung: melden Sie sich erneut an.',
    en: 'Signing needs a recent sign-in: sign in again.',
  },
  BULK_OPERATION_UNKNOWN: {
    nl: 'Onbekende bewerking: gebruik create, sign, refuse, withdraw, stop, amend of transfer.',
    fr: 'Opération inconnue : utilisez create, sign, refuse, withdraw, stop, amend ou transfer.',
    de: 'Unbekannter Vorgang: verwenden Sie create, sign, refuse, withdraw, stop, amend oder transfer.',
    en: 'Unknown operation: use create, sign, refuse, withdraw, stop, amend or transfer.',
  },
  BULK_VALUE_MISSING: {
    nl: 'Deze kolom mag voor deze bewerking niet leeg zijn.',
    fr: 'Cette colonne ne peut pas être vide pour cette opération.',
    de: 'Diese Spalte darf für diesen Vorgang nicht leer sein.',
    en: 'This column cannot be empty for this operation.',
  },
  BULK_VALUE_INVALID: {
    nl: 'Deze waarde is niet geldig.',
    fr: "Cette valeur n'est pas valable.",
    de: 'Dieser Wert ist nicht gültig.',
    en: 'This value is not valid.',
  },
  CSV_COLUMNS: {
    nl: 'Deze rij heeft meer cellen ({cells}) dan de kopregel kolommen ({columns}).',
    fr: "Cette ligne a plus de cellules ({cells}) que l'en-tête n'a de colonnes ({columns}).",
    de: 'Diese Zeile hat mehr Zellen ({cells}) als die Kopfzeile Spalten ({columns}).',
    en: 'This row has more cells ({cells}) than the header has columns ({columns}).',
  },
  CSV_ENCODING: {
    nl: 'Het bestand is niet in UTF-8 (rond regel {line}). Bewaar het als "CSV UTF-8" en laad het opnieuw op.',
    fr: "Le fichier n'est pas en UTF-8 (vers la ligne {line}). Enregistrez-le en « CSV UTF-8 » et chargez-le à nouveau.",
    de: 'Die Datei ist nicht in UTF-8 (um Zeile {line}). Speichern Sie sie als „CSV UTF-8“ und laden Sie sie erneut hoch.',
    en: 'The file is not UTF-8 (near line {line}). Save it as "CSV UTF-8" and upload it again.',
  },
  CSV_EMPTY: {
    nl: 'Het bestand is leeg: het heeft een kopregel en minstens één rij nodig.',
    fr: "Le fichier est vide : il lui faut une ligne d'en-tête et au moins une ligne.",
    de: 'Die Datei ist leer: sie braucht eine Kopfzeile und mindestens eine Zeile.',
    en: 'The file is empty: it needs a header row and at least one row.',
  },
  CSV_NO_ROWS: {
    nl: 'Het bestand heeft een kopregel maar geen rijen.',
    fr: "Le fichier a une ligne d'en-tête mais aucune ligne.",
    de: 'Die Datei hat eine Kopfzeile, aber keine Zeilen.',
    en: 'The file has a header row but no rows.',
  },
  CSV_HEADER: {
    nl: 'De kopregel klopt niet (kolom "{column}"). De kolommen zijn: operation;type;mandator;mandatee;email;language;reference;validFrom;validUntil;id;reason.',
    fr: "La ligne d'en-tête ne convient pas (colonne « {column} »). Les colonnes sont : operation;type;mandator;mandatee;email;language;reference;validFrom;validUntil;id;reason.",
    de: 'Die Kopfzeile stimmt nicht (Spalte „{column}“). Die Spalten sind: operation;type;mandator;mandatee;email;language;reference;validFrom;validUntil;id;reason.',
    en: 'The header row is wrong (column "{column}"). The columns are: operation;type;mandator;mandatee;email;language;reference;validFrom;validUntil;id;reason.',
  },
  CSV_MALFORMED: {
    nl: 'Het bestand is geen geldige CSV rond regel {line} (controleer de aanhalingstekens).',
    fr: "Le fichier n'est pas un CSV valable vers la ligne {line} (vérifiez les guillemets).",
    de: 'Die Datei ist um Zeile {line} kein gültiges CSV (prüfen Sie die Anführungszeichen).',
    en: 'The file is not valid CSV near line {line} (check the quotes).',
  },
  CSV_TOO_MANY_ROWS: {
    nl: 'Een opdracht telt hoogstens {max} rijen: splits het bestand.',
    fr: 'Une tâche compte au plus {max} lignes : scindez le fichier.',
    de: 'Ein Auftrag umfasst höchstens {max} Zeilen: teilen Sie die Datei.',
    en: 'A job has at most {max} rows: split the file.',
  },
  ITEM_SKIPPED: {
    nl: 'Niet uitgevoerd: de opdracht werd gestopt voor deze rij aan de beurt was.',
    fr: "Non exécuté : la tâche a été arrêtée avant d'arriver à cette ligne.",
    de: 'Nicht ausgeführt: der Auftrag wurde beendet, bevor diese Zeile an der Reihe war.',
    en: 'Not carried out: the job was stopped before it reached this row.',
  },
};

/** The languages offered, best first, from an Accept-Language header (English when none fits). */
export function pickLanguage(acceptLanguage: string | undefined): Language {
  if (!acceptLanguage) return 'en';
  const ranked = acceptLanguage
    .split(',')
    .map((part, i) => {
      const [tag = '', ...params] = part.trim().split(';');
      const q = params.map((p) => /^\s*q=([\d.]+)\s*$/.exec(p)?.[1]).find(Boolean);
      return { lang: tag.trim().slice(0, 2).toLowerCase(), q: q === undefined ? 1 : Number(q), i };
    })
    .filter((r) => r.q > 0)
    .sort((a, b) => b.q - a.q || a.i - b.i);
  const found = ranked.find((r) => ['nl', 'fr', 'de', 'en'].includes(r.lang));
  return (found?.lang as Language | undefined) ?? 'en';
}

/** The message for a code in a language, with `{name}` placeholders filled from the details. */
export function bulkMessage(code: string, language: Language, details?: Record<string, unknown> | null): string {
  const entry = (BULK_MESSAGES as Record<string, Record<Language, string>>)[code];
  if (!entry) return code;
  const known = (name: string) => details?.[name] !== undefined && details[name] !== null;
  return (
    entry[language]
      // A parenthesis whose placeholder has no value is left out as a whole.
      .replace(/\s*\([^()]*\{(\w+)\}[^()]*\)/g, (whole, name: string) => (known(name) ? whole : ''))
      .replace(/\{(\w+)\}/g, (_whole, name: string) => (known(name) ? String(details?.[name]) : '…'))
  );
}
