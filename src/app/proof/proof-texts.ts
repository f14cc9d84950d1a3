// The words of the printable proof of a mandate, in nl, fr, de and en.
import type { EventType } from '../../core/events.js';
import type { EffectiveState, MandateStatus, Role } from '../../core/mandate.js';
import type { Language } from '../../core/party.js';

export interface ProofTexts {
  title: string;
  mandate: string;
  id: string;
  type: string;
  mandator: string;
  mandatee: string;
  validity: string;
  reference: string;
  language: string;
  status: string;
  stateOn: (day: string) => string;
  version: string;
  versionOf: (n: number) => string;
  contentHash: string;
  predecessor: string;
  successor: string;
  ended: string;
  reason: string;
  pendingAmendment: string;
  signatures: string;
  signature: (n: number, role: string) => string;
  party: string;
  signer: string;
  signedAt: string;
  authenticated: string;
  covers: string;
  yes: string;
  no: string;
  jws: string;
  noSignatures: string;
  history: string;
  by: string;
  onBehalfOf: string;
  system: string;
  verifyTitle: string;
  verify: (jwksUrl: string) => string[];
  generated: (at: string, url: string) => string;
  none: string;
  roles: Record<Role, string>;
  statuses: Record<MandateStatus, string>;
  states: Record<Extract<EffectiveState, 'scheduled' | 'active' | 'expired'>, string>;
  events: Record<EventType, string>;
  languages: Record<Language, string>;
}

export const PROOF_TEXTS: Record<Language, ProofTexts> = {
  nl: {
    title: 'Bewijs van mandaat',
    mandate: 'Mandaat',
    id: 'Kenmerk',
    type: 'Mandaattype',
    mandator: 'Mandaatgever',
    mandatee: 'Mandaatnemer',
    validity: 'Geldigheid',
    reference: 'Referentie',
    language: 'Communicatietaal',
    status: 'Status',
    stateOn: (day) => `Toestand op ${day}`,
    version: 'Versie',
    versionOf: (n) => `versie ${n}`,
    contentHash: 'Inhoudshash (SHA-256)',
    predecessor: 'Voorganger (overgedragen mandaat)',
    successor: 'Opvolger',
    ended: 'Beëindigd op',
    reason: 'Reden',
    pendingAmendment: 'Voorgestelde wijziging (nog niet aanvaard)',
    signatures: 'Handtekeningen',
    signature: (n, role) => `Handtekening ${n} – ${role}`,
    party: 'Partij',
    signer: 'Ondertekend door',
    signedAt: 'Ondertekend op',
    authenticated: 'Aangemeld op (niveau)',
    covers: 'Geldt voor de huidige inhoud',
    yes: 'ja',
    no: 'nee (eerdere versie)',
    jws: 'Handtekening van de dienst (JWS)',
    noSignatures: 'Nog geen handtekeningen.',
    history: 'Geschiedenis',
    by: 'door',
    onBehalfOf: 'namens',
    system: 'het systeem',
    verifyTitle: 'Zo controleert u de handtekeningen',
    verify: (jwks) => [
      'Elke handtekening is een JWS (JSON Web Signature, compacte vorm) die de dienst heeft gemaakt over het kenmerk van het mandaat, de versie, de inhoudshash, de rol, de ondertekenaar, de partij namens wie ondertekend werd, en het tijdstip en het niveau van de aanmelding.',
      `Haal de publieke sleutels van de dienst op bij ${jwks}. Kies de sleutel waarvan "kid" gelijk is aan "kid" in de kop van de JWS en controleer de JWS met het algoritme EdDSA (Ed25519). Vervangen sleutels blijven daar gepubliceerd, zodat ook oudere handtekeningen controleerbaar blijven.`,
      'Vergelijk daarna de inhoud van de JWS met dit bewijs: kenmerk, versie en inhoudshash moeten overeenkomen. De inhoudshash is de SHA-256 (hexadecimaal) van de canonieke JSON – sleutels alfabetisch, zonder spaties – van id, type, mandator, mandatee, validFrom, validUntil, reference en language.',
    ],
    generated: (at, url) => `Opgemaakt op ${at} door ${url}`,
    none: '–',
    roles: { mandator: 'mandaatgever', mandatee: 'mandaatnemer' },
    statuses: {
      pending: 'wacht op handtekening',
      signed: 'ondertekend door beide partijen',
      refused: 'geweigerd',
      withdrawn: 'ingetrokken',
      lapsed: 'vervallen',
      stopped: 'stopgezet',
      transferred: 'overgedragen',
    },
    states: { scheduled: 'gepland (nog niet begonnen)', active: 'actief', expired: 'verlopen' },
    events: {
      MandateProposed: 'Voorgesteld',
      MandateSigned: 'Ondertekend',
      MandateRefused: 'Geweigerd',
      MandateWithdrawn: 'Ingetrokken',
      MandateLapsed: 'Vervallen',
      MandateStopped: 'Stopgezet',
      MandateAmended: 'Geldigheid ingekort',
      AmendmentProposed: 'Wijziging voorgesteld',
      AmendmentSigned: 'Wijziging aanvaard',
      AmendmentRefused: 'Wijziging geweigerd',
      AmendmentWithdrawn: 'Wijziging ingetrokken',
      TransferProposed: 'Overdracht voorgesteld',
      TransferCompleted: 'Overdracht voltooid',
      TransferCancelled: 'Overdracht geannuleerd',
    },
    languages: { nl: 'Nederlands', fr: 'Frans', de: 'Duits', en: 'Engels' },
  },
  fr: {
    title: 'Preuve de mandat',
    mandate: 'Mandat',
    id: 'Identifiant',
    type: 'Type de mandat',
    mandator: 'Mandant',
    mandatee: 'Mandataire',
    validity: 'Validité',
    reference: 'Référence',
    language: 'Langue de communication',
    status: 'Statut',
    stateOn: (day) => `État au ${day}`,
    version: 'Version',
    versionOf: (n) => `version ${n}`,
    contentHash: 'Empreinte du contenu (SHA-256)',
    predecessor: 'Prédécesseur (mandat transféré)',
    successor: 'Successeur',
    ended: 'Terminé le',
    reason: 'Motif',
    pendingAmendment: 'Modification proposée (pas encore acceptée)',
    signatures: 'Signatures',
    signature: (n, role) => `Signature ${n} – ${role}`,
    party: 'Partie',
    signer: 'Signé par',
    signedAt: 'Signé le',
    authenticated: 'Authentifié le (niveau)',
    covers: 'Porte sur le contenu actuel',
    yes: 'oui',
    no: 'non (version antérieure)',
    jws: 'Signature du service (JWS)',
    noSignatures: 'Pas encore de signature.',
    history: 'Historique',
    by: 'par',
    onBehalfOf: 'au nom de',
    system: 'le système',
    verifyTitle: 'Comment vérifier les signatures',
    verify: (jwks) => [
      "Chaque signature est un JWS (JSON Web Signature, forme compacte) établi par le service sur l'identifiant du mandat, la version, l'empreinte du contenu, le rôle, le signataire, la partie au nom de laquelle il a signé, ainsi que le moment et le niveau de l'authentification.",
      `Récupérez les clés publiques du service à l'adresse ${jwks}. Choisissez la clé dont le « kid » est égal au « kid » de l'en-tête du JWS et vérifiez le JWS avec l'algorithme EdDSA (Ed25519). Les clés remplacées y restent publiées, de sorte que les signatures plus anciennes restent vérifiables.`,
      "Comparez ensuite le contenu du JWS avec cette preuve : l'identifiant, la version et l'empreinte du contenu doivent correspondre. L'empreinte du contenu est le SHA-256 (hexadécimal) du JSON canonique – clés par ordre alphabétique, sans espaces – de id, type, mandator, mandatee, validFrom, validUntil, reference et language.",
    ],
    generated: (at, url) => `Établi le ${at} par ${url}`,
    none: '–',
    roles: { mandator: 'mandant', mandatee: 'mandataire' },
    statuses: {
      pending: 'en attente de signature',
      signed: 'signé par les deux parties',
      refused: 'refusé',
      withdrawn: 'retiré',
      lapsed: 'caduc',
      stopped: 'arrêté',
      transferred: 'transféré',
    },
    states: { scheduled: 'programmé (pas encore commencé)', active: 'actif', expired: 'échu' },
    events: {
      MandateProposed: 'Proposé',
      MandateSigned: 'Signé',
      MandateRefused: 'Refusé',
      MandateWithdrawn: 'Retiré',
      MandateLapsed: 'Devenu caduc',
      MandateStopped: 'Arrêté',
      MandateAmended: 'Validité raccourcie',
      AmendmentProposed: 'Modification proposée',
      AmendmentSigned: 'Modification acceptée',
      AmendmentRefused: 'Modification refusée',
      AmendmentWithdrawn: 'Modification retirée',
      TransferProposed: 'Transfert proposé',
      TransferCompleted: 'Transfert effectué',
      TransferCancelled: 'Transfert annulé',
    },
    languages: { nl: 'néerlandais', fr: 'français', de: 'allemand', en: 'anglais' },
  },
  de: {
    title: 'Nachweis eines Mandats',
    mandate: 'Mandat',
    id: 'Kennung',
    type: 'Mandatstyp',
    mandator: 'Mandatgeber',
    mandatee: 'Mandatnehmer',
    validity: 'Gültigkeit',
    reference: 'Referenz',
    language: 'Kommunikationssprache',
    status: 'Status',
    stateOn: (day) => `Zustand am ${day}`,
    version: 'Version',
    versionOf: (n) => `Version ${n}`,
    contentHash: 'Inhalts-Hash (SHA-256)',
    predecessor: 'Vorgänger (übertragenes Mandat)',
    successor: 'Nachfolger',
    ended: 'Beendet am',
    reason: 'Grund',
    pendingAmendment: 'Vorgeschlagene Änderung (noch nicht angenommen)',
    signatures: 'Unterschriften',
    signature: (n, role) => `Unterschrift ${n} – ${role}`,
    party: 'Partei',
    signer: 'Unterzeichnet von',
    signedAt: 'Unterzeichnet am',
    authenticated: 'Angemeldet am (Niveau)',
    covers: 'Gilt für den aktuellen Inhalt',
    yes: 'ja',
    no: 'nein (frühere Version)',
    jws: 'Signatur des Dienstes (JWS)',
    noSignatures: 'Noch keine Unterschriften.',
    history: 'Verlauf',
    by: 'durch',
    onBehalfOf: 'im Namen von',
    system: 'das System',
    verifyTitle: 'So prüfen Sie die Unterschriften',
    verify: (jwks) => [
      'Jede Unterschrift ist eine JWS (JSON Web Signature, kompakte Form), die der Dienst über die Kennung des Mandats, die Version, den Inhalts-Hash, die Rolle, den Unterzeichner, die Partei, in deren Namen unterzeichnet wurde, sowie Zeitpunkt und Niveau der Anmeldung erstellt hat.',
      `Rufen Sie die öffentlichen Schlüssel des Dienstes unter ${jwks} ab. Wählen Sie den Schlüssel, dessen „kid“ dem „kid“ im Kopf der JWS entspricht, und prüfen Sie die JWS mit dem Algorithmus EdDSA (Ed25519). Ersetzte Schlüssel bleiben dort veröffentlicht, damit auch ältere Unterschriften prüfbar bleiben.`,
      'Vergleichen Sie danach den Inhalt der JWS mit diesem Nachweis: Kennung, Version und Inhalts-Hash müssen übereinstimmen. Der Inhalts-Hash ist der SHA-256 (hexadezimal) des kanonischen JSON – Schlüssel alphabetisch, ohne Leerzeichen – aus id, type, mandator, mandatee, validFrom, validUntil, reference und language.',
    ],
    generated: (at, url) => `Erstellt am ${at} durch ${url}`,
    none: '–',
    roles: { mandator: 'Mandatgeber', mandatee: 'Mandatnehmer' },
    statuses: {
      pending: 'wartet auf Unterschrift',
      signed: 'von beiden Parteien unterzeichnet',
      refused: 'abgelehnt',
      withdrawn: 'zurückgezogen',
      lapsed: 'verfallen',
      stopped: 'beendet',
      transferred: 'übertragen',
    },
    states: { scheduled: 'geplant (noch nicht begonnen)', active: 'aktiv', expired: 'abgelaufen' },
    events: {
      MandateProposed: 'Vorgeschlagen',
      MandateSigned: 'Unterzeichnet',
      MandateRefused: 'Abgelehnt',
      MandateWithdrawn: 'Zurückgezogen',
      MandateLapsed: 'Verfallen',
      MandateStopped: 'Beendet',
      MandateAmended: 'Gültigkeit verkürzt',
      AmendmentProposed: 'Änderung vorgeschlagen',
      AmendmentSigned: 'Änderung angenommen',
      AmendmentRefused: 'Änderung abgelehnt',
      AmendmentWithdrawn: 'Änderung zurückgezogen',
      TransferProposed: 'Übertragung vorgeschlagen',
      TransferCompleted: 'Übertragung abgeschlossen',
      TransferCancelled: 'Übertragung abgebrochen',
    },
    languages: { nl: 'Niederländisch', fr: 'Französisch', de: 'Deutsch', en: 'Englisch' },
  },
  en: {
    title: 'Proof of mandate',
    mandate: 'Mandate',
    id: 'Identifier',
    type: 'Mandate type',
    mandator: 'Mandator',
    mandatee: 'Mandatee',
    validity: 'Validity',
    reference: 'Reference',
    language: 'Communication language',
    status: 'Status',
    stateOn: (day) => `State on ${day}`,
    version: 'Version',
    versionOf: (n) => `version ${n}`,
    contentHash: 'Content hash (SHA-256)',
    predecessor: 'Predecessor (transferred mandate)',
    successor: 'Successor',
    ended: 'Ended on',
    reason: 'Reason',
    pendingAmendment: 'Proposed change (not yet accepted)',
    signatures: 'Signatures',
    signature: (n, role) => `Signature ${n} – ${role}`,
    party: 'Party',
    signer: 'Signed by',
    signedAt: 'Signed on',
    authenticated: 'Signed in on (level)',
    covers: 'Covers the current content',
    yes: 'yes',
    no: 'no (an earlier version)',
    jws: "The service's signature (JWS)",
    noSignatures: 'No signatures yet.',
    history: 'History',
    by: 'by',
    onBehalfOf: 'on behalf of',
    system: 'the system',
    verifyTitle: 'How to verify the signatures',
    verify: (jwks) => [
      "Each signature is a JWS (JSON Web Signature, compact form) made by the service over the mandate's identifier, the version, the content hash, the role, the signer, the party on whose behalf they signed, and the time and level of their sign-in.",
      `Fetch the service's public keys from ${jwks}. Take the key whose "kid" equals the "kid" in the JWS header and verify the JWS with the EdDSA (Ed25519) algorithm. Replaced keys stay published there, so older signatures remain verifiable.`,
      'Then compare the content of the JWS with this proof: the identifier, version and content hash must match. The content hash is the SHA-256 (hexadecimal) of the canonical JSON – keys in alphabetical order, no spaces – of id, type, mandator, mandatee, validFrom, validUntil, reference and language.',
    ],
    generated: (at, url) => `Made on ${at} by ${url}`,
    none: '–',
    roles: { mandator: 'mandator', mandatee: 'mandatee' },
    statuses: {
      pending: 'waiting for a signature',
      signed: 'signed by both parties',
      refused: 'refused',
      withdrawn: 'withdrawn',
      lapsed: 'lapsed',
      stopped: 'stopped',
      transferred: 'transferred',
    },
    states: { scheduled: 'scheduled (not yet started)', active: 'active', expired: 'expired' },
    events: {
      MandateProposed: 'Proposed',
      MandateSigned: 'Signed',
      MandateRefused: 'Refused',
      MandateWithdrawn: 'Withdrawn',
      MandateLapsed: 'Lapsed',
      MandateStopped: 'Stopped',
      MandateAmended: 'Validity shortened',
      AmendmentProposed: 'Change proposed',
      AmendmentSigned: 'Change accepted',
      AmendmentRefused: 'Change refused',
      AmendmentWithdrawn: 'Change withdrawn',
      TransferProposed: 'Transfer proposed',
      TransferCompleted: 'Transfer completed',
      TransferCancelled: 'Transfer cancelled',
    },
    languages: { nl: 'Dutch', fr: 'French', de: 'German', en: 'English' },
  },
};
