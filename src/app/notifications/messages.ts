// What each notification says, in nl, fr, de and en: a heading (for a group in a digest, or the
// subject of a single message) and one sentence about the mandate.
import type { NotificationData, NotificationKind } from '../../core/notifications.js';
import type { Language } from '../../core/party.js';

/** The pieces of a sentence, already written out in the reader's language. */
export interface Phrase {
  /** The mandate type's label. */
  type: string;
  /** The party that acted. */
  by: string;
  /** The other party, from the reader's side. */
  counterpart: string;
  mandator: string;
  mandatee: string;
  newMandatee: string;
  validity: string;
  proposedValidity: string;
  until: string;
  daysLeft: string;
  lapsesAt: string;
  reason: string | null;
  data: NotificationData;
}

type Line = (p: Phrase) => string;
interface Wording {
  heading: string;
  line: Line;
}

const reason = (label: string) => (p: Phrase) => (p.reason ? ` ${label} ${p.reason}` : '');

const NL: Record<NotificationKind, Wording> = {
  'proposal-awaits-signature': {
    heading: 'Wacht op uw handtekening',
    line: (p) => `${p.by} vraagt uw handtekening voor het mandaat „${p.type}” (${p.validity}).`,
  },
  'transfer-awaits-signature': {
    heading: 'Overdracht wacht op uw handtekening',
    line: (p) =>
      `Het mandaat „${p.type}” van ${p.mandator} wordt overgedragen aan ${p.mandatee}; uw handtekening is nodig (${p.validity}).`,
  },
  'amendment-awaits-signature': {
    heading: 'Wijziging wacht op uw handtekening',
    line: (p) =>
      `${p.by} stelt voor de geldigheid van het mandaat „${p.type}” te wijzigen: ${p.proposedValidity}. Uw handtekening is nodig.`,
  },
  'proposal-signed': {
    heading: 'Ondertekend',
    line: (p) => `${p.by} heeft het mandaat „${p.type}” ondertekend. Het is nu geldig ${p.validity}.`,
  },
  'proposal-refused': {
    heading: 'Geweigerd',
    line: (p) => `${p.by} heeft het mandaat „${p.type}” geweigerd.${reason('Reden:')(p)}`,
  },
  'proposal-withdrawn': {
    heading: 'Ingetrokken',
    line: (p) => `${p.by} heeft het voorstel voor het mandaat „${p.type}” ingetrokken; u hoeft het niet meer te ondertekenen.`,
  },
  'proposal-lapsed': {
    heading: 'Voorstel vervallen',
    line: (p) => `Uw voorstel voor het mandaat „${p.type}” met ${p.counterpart} is vervallen, omdat het niet op tijd werd ondertekend.`,
  },
  'amendment-signed': {
    heading: 'Wijziging aanvaard',
    line: (p) => `${p.by} heeft de wijziging van het mandaat „${p.type}” aanvaard. Het is nu geldig ${p.validity}.`,
  },
  'amendment-refused': {
    heading: 'Wijziging geweigerd',
    line: (p) =>
      `${p.by} heeft de voorgestelde wijziging van het mandaat „${p.type}” geweigerd; de huidige geldigheid blijft (${p.validity}).`,
  },
  'amendment-withdrawn': {
    heading: 'Wijziging ingetrokken',
    line: (p) => `${p.by} heeft de voorgestelde wijziging van het mandaat „${p.type}” ingetrokken.`,
  },
  'mandate-stopped': {
    heading: 'Stopgezet',
    line: (p) => `${p.by} heeft het mandaat „${p.type}” stopgezet. Het geldt niet meer.${reason('Reden:')(p)}`,
  },
  'mandate-amended': {
    heading: 'Gewijzigd',
    line: (p) => `${p.by} heeft de geldigheid van het mandaat „${p.type}” ingekort; het geldt nu ${p.validity}.`,
  },
  'transfer-proposed': {
    heading: 'Overdracht voorgesteld',
    line: (p) => `${p.by} stelt voor het mandaat „${p.type}” over te dragen aan ${p.newMandatee}.`,
  },
  'transfer-completed': {
    heading: 'Overdracht voltooid',
    line: (p) => `Het mandaat „${p.type}” is overgedragen aan ${p.newMandatee}.`,
  },
  'transfer-cancelled': {
    heading: 'Overdracht gaat niet door',
    line: (p) => `De overdracht van het mandaat „${p.type}” aan ${p.newMandatee} gaat niet door; het mandaat blijft ongewijzigd.`,
  },
  'mandate-ends-soon': {
    heading: 'Loopt binnenkort af',
    line: (p) =>
      `Het mandaat „${p.type}” met ${p.counterpart} loopt af op ${p.until} (${p.daysLeft}). U kunt het in één stap verlengen onder dezelfde voorwaarden.`,
  },
  'proposal-lapses-soon': {
    heading: 'Voorstel vervalt binnenkort',
    line: (p) => `Het voorstel voor het mandaat „${p.type}” van ${p.by} vervalt op ${p.lapsesAt} als u het niet ondertekent.`,
  },
};

const FR: Record<NotificationKind, Wording> = {
  'proposal-awaits-signature': {
    heading: 'En attente de votre signature',
    line: (p) => `${p.by} demande votre signature pour le mandat « ${p.type} » (${p.validity}).`,
  },
  'transfer-awaits-signature': {
    heading: 'Transfert en attente de votre signature',
    line: (p) => `Le mandat « ${p.type} » de ${p.mandator} est transféré à ${p.mandatee} ; votre signature est nécessaire (${p.validity}).`,
  },
  'amendment-awaits-signature': {
    heading: 'Modification en attente de votre signature',
    line: (p) => `${p.by} propose de modifier la validité du mandat « ${p.type} » : ${p.proposedValidity}. Votre signature est nécessaire.`,
  },
  'proposal-signed': {
    heading: 'Signé',
    line: (p) => `${p.by} a signé le mandat « ${p.type} ». Il est désormais valable ${p.validity}.`,
  },
  'proposal-refused': {
    heading: 'Refusé',
    line: (p) => `${p.by} a refusé le mandat « ${p.type} ».${reason('Motif :')(p)}`,
  },
  'proposal-withdrawn': {
    heading: 'Retiré',
    line: (p) => `${p.by} a retiré la proposition de mandat « ${p.type} » ; vous ne devez plus la signer.`,
  },
  'proposal-lapsed': {
    heading: 'Proposition caduque',
    line: (p) => `Votre proposition de mandat « ${p.type} » avec ${p.counterpart} est devenue caduque, faute de signature dans le délai.`,
  },
  'amendment-signed': {
    heading: 'Modification acceptée',
    line: (p) => `${p.by} a accepté la modification du mandat « ${p.type} ». Il est désormais valable ${p.validity}.`,
  },
  'amendment-refused': {
    heading: 'Modification refusée',
    line: (p) => `${p.by} a refusé la modification proposée du mandat « ${p.type} » ; la validité actuelle est maintenue (${p.validity}).`,
  },
  'amendment-withdrawn': {
    heading: 'Modification retirée',
    line: (p) => `${p.by} a retiré la modification proposée du mandat « ${p.type} ».`,
  },
  'mandate-stopped': {
    heading: 'Arrêté',
    line: (p) => `${p.by} a mis fin au mandat « ${p.type} ». Il n'est plus valable.${reason('Motif :')(p)}`,
  },
  'mandate-amended': {
    heading: 'Modifié',
    line: (p) => `${p.by} a raccourci la validité du mandat « ${p.type} » ; il est désormais valable ${p.validity}.`,
  },
  'transfer-proposed': {
    heading: 'Transfert proposé',
    line: (p) => `${p.by} propose de transférer le mandat « ${p.type} » à ${p.newMandatee}.`,
  },
  'transfer-completed': {
    heading: 'Transfert effectué',
    line: (p) => `Le mandat « ${p.type} » a été transféré à ${p.newMandatee}.`,
  },
  'transfer-cancelled': {
    heading: 'Transfert annulé',
    line: (p) => `Le transfert du mandat « ${p.type} » à ${p.newMandatee} n'aura pas lieu ; le mandat reste inchangé.`,
  },
  'mandate-ends-soon': {
    heading: 'Bientôt échu',
    line: (p) =>
      `Le mandat « ${p.type} » avec ${p.counterpart} prend fin le ${p.until} (${p.daysLeft}). Vous pouvez le renouveler aux mêmes conditions en une seule étape.`,
  },
  'proposal-lapses-soon': {
    heading: 'Proposition bientôt caduque',
    line: (p) => `La proposition de mandat « ${p.type} » de ${p.by} deviendra caduque le ${p.lapsesAt} si vous ne la signez pas.`,
  },
};

const DE: Record<NotificationKind, Wording> = {
  'proposal-awaits-signature': {
    heading: 'Wartet auf Ihre Unterschrift',
    line: (p) => `${p.by} bittet um Ihre Unterschrift für das Mandat „${p.type}“ (${p.validity}).`,
  },
  'transfer-awaits-signature': {
    heading: 'Übertragung wartet auf Ihre Unterschrift',
    line: (p) =>
      `Das Mandat „${p.type}“ von ${p.mandator} wird auf ${p.mandatee} übertragen; Ihre Unterschrift ist erforderlich (${p.validity}).`,
  },
  'amendment-awaits-signature': {
    heading: 'Änderung wartet auf Ihre Unterschrift',
    line: (p) =>
      `${p.by} schlägt vor, die Gültigkeit des Mandats „${p.type}“ zu ändern: ${p.proposedValidity}. Ihre Unterschrift ist erforderlich.`,
  },
  'proposal-signed': {
    heading: 'Unterzeichnet',
    line: (p) => `${p.by} hat das Mandat „${p.type}“ unterzeichnet. Es gilt jetzt ${p.validity}.`,
  },
  'proposal-refused': {
    heading: 'Abgelehnt',
    line: (p) => `${p.by} hat das Mandat „${p.type}“ abgelehnt.${reason('Grund:')(p)}`,
  },
  'proposal-withdrawn': {
    heading: 'Zurückgezogen',
    line: (p) => `${p.by} hat den Vorschlag für das Mandat „${p.type}“ zurückgezogen; Sie müssen ihn nicht mehr unterzeichnen.`,
  },
  'proposal-lapsed': {
    heading: 'Vorschlag verfallen',
    line: (p) =>
      `Ihr Vorschlag für das Mandat „${p.type}“ mit ${p.counterpart} ist verfallen, weil er nicht rechtzeitig unterzeichnet wurde.`,
  },
  'amendment-signed': {
    heading: 'Änderung angenommen',
    line: (p) => `${p.by} hat die Änderung des Mandats „${p.type}“ angenommen. Es gilt jetzt ${p.validity}.`,
  },
  'amendment-refused': {
    heading: 'Änderung abgelehnt',
    line: (p) =>
      `${p.by} hat die vorgeschlagene Änderung des Mandats „${p.type}“ abgelehnt; die bisherige Gültigkeit bleibt (${p.validity}).`,
  },
  'amendment-withdrawn': {
    heading: 'Änderung zurückgezogen',
    line: (p) => `${p.by} hat die vorgeschlagene Änderung des Mandats „${p.type}“ zurückgezogen.`,
  },
  'mandate-stopped': {
    heading: 'Beendet',
    line: (p) => `${p.by} hat das Mandat „${p.type}“ beendet. Es gilt nicht mehr.${reason('Grund:')(p)}`,
  },
  'mandate-amended': {
    heading: 'Geändert',
    line: (p) => `${p.by} hat die Gültigkeit des Mandats „${p.type}“ verkürzt; es gilt jetzt ${p.validity}.`,
  },
  'transfer-proposed': {
    heading: 'Übertragung vorgeschlagen',
    line: (p) => `${p.by} schlägt vor, das Mandat „${p.type}“ auf ${p.newMandatee} zu übertragen.`,
  },
  'transfer-completed': {
    heading: 'Übertragung abgeschlossen',
    line: (p) => `Das Mandat „${p.type}“ wurde auf ${p.newMandatee} übertragen.`,
  },
  'transfer-cancelled': {
    heading: 'Übertragung findet nicht statt',
    line: (p) => `Die Übertragung des Mandats „${p.type}“ auf ${p.newMandatee} findet nicht statt; das Mandat bleibt unverändert.`,
  },
  'mandate-ends-soon': {
    heading: 'Läuft bald ab',
    line: (p) =>
      `Das Mandat „${p.type}“ mit ${p.counterpart} endet am ${p.until} (${p.daysLeft}). Sie können es in einem Schritt zu denselben Bedingungen verlängern.`,
  },
  'proposal-lapses-soon': {
    heading: 'Vorschlag verfällt bald',
    line: (p) => `Der Vorschlag für das Mandat „${p.type}“ von ${p.by} verfällt am ${p.lapsesAt}, wenn Sie ihn nicht unterzeichnen.`,
  },
};

const EN: Record<NotificationKind, Wording> = {
  'proposal-awaits-signature': {
    heading: 'Waiting for your signature',
    line: (p) => `${p.by} asks for your signature on the mandate “${p.type}” (${p.validity}).`,
  },
  'transfer-awaits-signature': {
    heading: 'Transfer waiting for your signature',
    line: (p) =>
      `The mandate “${p.type}” of ${p.mandator} is being transferred to ${p.mandatee}; your signature is needed (${p.validity}).`,
  },
  'amendment-awaits-signature': {
    heading: 'Change waiting for your signature',
    line: (p) => `${p.by} proposes to change the validity of the mandate “${p.type}”: ${p.proposedValidity}. Your signature is needed.`,
  },
  'proposal-signed': {
    heading: 'Signed',
    line: (p) => `${p.by} signed the mandate “${p.type}”. It is now valid ${p.validity}.`,
  },
  'proposal-refused': {
    heading: 'Refused',
    line: (p) => `${p.by} refused the mandate “${p.type}”.${reason('Reason:')(p)}`,
  },
  'proposal-withdrawn': {
    heading: 'Withdrawn',
    line: (p) => `${p.by} withdrew the proposed mandate “${p.type}”; you no longer need to sign it.`,
  },
  'proposal-lapsed': {
    heading: 'Proposal lapsed',
    line: (p) => `Your proposed mandate “${p.type}” with ${p.counterpart} has lapsed because it was not signed in time.`,
  },
  'amendment-signed': {
    heading: 'Change accepted',
    line: (p) => `${p.by} accepted the change to the mandate “${p.type}”. It is now valid ${p.validity}.`,
  },
  'amendment-refused': {
    heading: 'Change refused',
    line: (p) => `${p.by} refused the proposed change to the mandate “${p.type}”; the current validity stays (${p.validity}).`,
  },
  'amendment-withdrawn': {
    heading: 'Change withdrawn',
    line: (p) => `${p.by} withdrew the proposed change to the mandate “${p.type}”.`,
  },
  'mandate-stopped': {
    heading: 'Stopped',
    line: (p) => `${p.by} stopped the mandate “${p.type}”. It no longer applies.${reason('Reason:')(p)}`,
  },
  'mandate-amended': {
    heading: 'Changed',
    line: (p) => `${p.by} shortened the validity of the mandate “${p.type}”; it is now valid ${p.validity}.`,
  },
  'transfer-proposed': {
    heading: 'Transfer proposed',
    line: (p) => `${p.by} proposes to transfer the mandate “${p.type}” to ${p.newMandatee}.`,
  },
  'transfer-completed': {
    heading: 'Transfer completed',
    line: (p) => `The mandate “${p.type}” was transferred to ${p.newMandatee}.`,
  },
  'transfer-cancelled': {
    heading: 'Transfer called off',
    line: (p) => `The transfer of the mandate “${p.type}” to ${p.newMandatee} will not happen; the mandate stays as it was.`,
  },
  'mandate-ends-soon': {
    heading: 'Ending soon',
    line: (p) =>
      `The mandate “${p.type}” with ${p.counterpart} ends on ${p.until} (${p.daysLeft}). You can renew it on the same terms in one step.`,
  },
  'proposal-lapses-soon': {
    heading: 'Proposal lapsing soon',
    line: (p) => `The proposed mandate “${p.type}” from ${p.by} lapses on ${p.lapsesAt} unless you sign it.`,
  },
};

export const WORDING: Record<Language, Record<NotificationKind, Wording>> = { nl: NL, fr: FR, de: DE, en: EN };

/** The fixed parts of a message around the notifications. */
export interface Frame {
  product: string;
  greeting: string;
  intro: (whose: string) => string;
  updates: (n: number) => string;
  more: (n: number, url: string) => string;
  view: string;
  reference: string;
  manage: (url: string) => string;
  footer: (whose: string) => string;
  /** "your mandates", or an enterprise's; German needs the dative after "zu" and the accusative after "für". */
  whose: (enterprise: string | null, use: 'about' | 'for') => string;
}

export const FRAME: Record<Language, Frame> = {
  nl: {
    product: 'Mandaten',
    greeting: 'Goeddag,',
    intro: (whose) => `Er is nieuws over ${whose}:`,
    updates: (n) => `${n} meldingen over uw mandaten`,
    more: (n, url) => `… en nog ${n}; u vindt ze allemaal in uw inbox: ${url}`,
    view: 'Bekijken',
    reference: 'referentie',
    manage: (url) => `Bekijk en beheer uw mandaten op ${url}`,
    footer: (whose) =>
      `U ontvangt dit bericht omdat dit adres bevestigd is als contactadres voor ${whose}. U kunt uw contactgegevens wijzigen in de toepassing. Antwoorden op dit bericht worden niet gelezen.`,
    whose: (e) => (e ? `de mandaten van ${e}` : 'uw mandaten'),
  },
  fr: {
    product: 'Mandats',
    greeting: 'Bonjour,',
    intro: (whose) => `Voici les nouvelles concernant ${whose} :`,
    updates: (n) => `${n} notifications concernant vos mandats`,
    more: (n, url) => `… et ${n} autres ; vous les trouverez toutes dans votre boîte de réception : ${url}`,
    view: 'Voir',
    reference: 'référence',
    manage: (url) => `Consultez et gérez vos mandats sur ${url}`,
    footer: (whose) =>
      `Vous recevez ce message parce que cette adresse est confirmée comme adresse de contact pour ${whose}. Vous pouvez modifier vos coordonnées dans l'application. Les réponses à ce message ne sont pas lues.`,
    whose: (e) => (e ? `les mandats de l'${e}` : 'vos mandats'),
  },
  de: {
    product: 'Mandate',
    greeting: 'Guten Tag,',
    intro: (whose) => `Es gibt Neuigkeiten zu ${whose}:`,
    updates: (n) => `${n} Mitteilungen zu Ihren Mandaten`,
    more: (n, url) => `… und ${n} weitere; alle finden Sie in Ihrem Posteingang: ${url}`,
    view: 'Ansehen',
    reference: 'Referenz',
    manage: (url) => `Sehen und verwalten Sie Ihre Mandate unter ${url}`,
    footer: (whose) =>
      `Sie erhalten diese Nachricht, weil diese Adresse als Kontaktadresse für ${whose} bestätigt ist. Ihre Kontaktdaten können Sie in der Anwendung ändern. Antworten auf diese Nachricht werden nicht gelesen.`,
    whose: (e, use) => {
      const of = e ? ` des ${e.replace(/^Unternehmen/, 'Unternehmens')}` : '';
      if (use === 'about') return e ? `den Mandaten${of}` : 'Ihren Mandaten';
      return e ? `die Mandate${of}` : 'Ihre Mandate';
    },
  },
  en: {
    product: 'Mandates',
    greeting: 'Hello,',
    intro: (whose) => `Here is what happened with ${whose}:`,
    updates: (n) => `${n} updates on your mandates`,
    more: (n, url) => `… and ${n} more; see them all in your inbox: ${url}`,
    view: 'View',
    reference: 'reference',
    manage: (url) => `See and manage your mandates at ${url}`,
    footer: (whose) =>
      `You receive this message because this address is confirmed as the contact address for ${whose}. You can change your contact details in the application. Replies to this message are not read.`,
    whose: (e) => (e ? `the mandates of ${e}` : 'your mandates'),
  },
};

export interface ConfirmationWording {
  subject: string;
  body: (whose: string, url: string, expires: string) => string;
  page: { done: string; doneDetail: (email: string) => string; failed: string; failedDetail: string };
}

export const CONFIRMATION: Record<Language, ConfirmationWording> = {
  nl: {
    subject: 'Bevestig uw e-mailadres voor uw mandaten',
    body: (whose, url, expires) =>
      `Goeddag,\n\nU hebt dit adres opgegeven als contactadres voor ${whose}. Bevestig het door deze link te openen:\n\n${url}\n\nDe link werkt tot ${expires}. Zolang u niet bevestigt, sturen we naar dit adres niets anders dan dit bericht.\n\nHebt u dit niet gevraagd? Dan kunt u dit bericht negeren.`,
    page: {
      done: 'E-mailadres bevestigd',
      doneDetail: (email) => `Berichten over uw mandaten gaan voortaan naar ${email}.`,
      failed: 'Deze link werkt niet (meer)',
      failedDetail: 'De link is verlopen, al gebruikt of vervangen door een nieuwere. Geef uw e-mailadres opnieuw op in de toepassing.',
    },
  },
  fr: {
    subject: 'Confirmez votre adresse e-mail pour vos mandats',
    body: (whose, url, expires) =>
      `Bonjour,\n\nVous avez indiqué cette adresse comme adresse de contact pour ${whose}. Confirmez-la en ouvrant ce lien :\n\n${url}\n\nLe lien est valable jusqu'au ${expires}. Tant que vous ne l'avez pas confirmée, cette adresse ne reçoit rien d'autre que ce message.\n\nVous n'êtes pas à l'origine de cette demande ? Ignorez simplement ce message.`,
    page: {
      done: 'Adresse e-mail confirmée',
      doneDetail: (email) => `Les messages concernant vos mandats seront désormais envoyés à ${email}.`,
      failed: 'Ce lien ne fonctionne pas (ou plus)',
      failedDetail:
        "Le lien a expiré, a déjà été utilisé ou a été remplacé par un plus récent. Indiquez à nouveau votre adresse e-mail dans l'application.",
    },
  },
  de: {
    subject: 'Bestätigen Sie Ihre E-Mail-Adresse für Ihre Mandate',
    body: (whose, url, expires) =>
      `Guten Tag,\n\nSie haben diese Adresse als Kontaktadresse für ${whose} angegeben. Bestätigen Sie sie, indem Sie diesen Link öffnen:\n\n${url}\n\nDer Link gilt bis ${expires}. Solange Sie nicht bestätigen, erhält diese Adresse nichts außer dieser Nachricht.\n\nHaben Sie das nicht veranlasst? Dann können Sie diese Nachricht ignorieren.`,
    page: {
      done: 'E-Mail-Adresse bestätigt',
      doneDetail: (email) => `Nachrichten zu Ihren Mandaten gehen ab jetzt an ${email}.`,
      failed: 'Dieser Link funktioniert nicht (mehr)',
      failedDetail:
        'Der Link ist abgelaufen, wurde schon benutzt oder durch einen neueren ersetzt. Geben Sie Ihre E-Mail-Adresse in der Anwendung erneut an.',
    },
  },
  en: {
    subject: 'Confirm your e-mail address for your mandates',
    body: (whose, url, expires) =>
      `Hello,\n\nYou gave this address as the contact address for ${whose}. Confirm it by opening this link:\n\n${url}\n\nThe link works until ${expires}. Until you confirm, this address receives nothing but this message.\n\nDid you not ask for this? Then you can ignore this message.`,
    page: {
      done: 'E-mail address confirmed',
      doneDetail: (email) => `Messages about your mandates now go to ${email}.`,
      failed: 'This link does not work (any more)',
      failedDetail:
        'The link has expired, was already used or was replaced by a newer one. Enter your e-mail address again in the application.',
    },
  },
};
