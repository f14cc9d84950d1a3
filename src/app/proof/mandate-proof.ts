// The printable proof of a mandate: a tagged PDF (document language and title set) in the reader's
// language with the parties, type, validity, state, each signature with its verification data and
// JWS, the history, and how to verify the signatures against the service's published keys.
// Text uses the standard Helvetica and Courier fonts (WinAnsi): nothing to embed, and the text stays
// extractable for screen readers, search and tests.
import PDFDocument from 'pdfkit';
import type { CatalogueIndex } from '../../core/catalogue.js';
import { brusselsDay } from '../../core/dates.js';
import type { StoredEvent } from '../../core/events.js';
import { effectiveState, type Mandate, type SignatureRecord } from '../../core/mandate.js';
import type { Language, Party } from '../../core/party.js';
import type { Refusal } from '../../core/refusal.js';
import type { AppContext } from '../context.js';
import { formatDay, formatInstant, formatParty, formatValidity, LOCALES } from '../notifications/format.js';
import { getMandateFor } from '../queries.js';
import { PROOF_TEXTS } from './proof-texts.js';

export interface ProofInput {
  mandate: Mandate;
  history: readonly StoredEvent[];
  lang: Language;
  now: Date;
  publicUrl: string;
  catalogue: CatalogueIndex;
  /** Deflate the content streams (default true); tests may turn it off to read the text directly. */
  compress?: boolean;
}

const JWS_LINE = 86;
type Struct = ReturnType<PDFKit.PDFDocument['struct']>;

export function renderProofPdf(input: ProofInput): Promise<Buffer> {
  const { mandate: m, history, lang, now, publicUrl, catalogue } = input;
  const t = PROOF_TEXTS[lang];
  const type = catalogue.type(m.type);
  const typeLabel = type?.label[lang] ?? m.type;
  const domainLabel = catalogue.domain(m.domain)?.label[lang] ?? m.domain;
  const full = (p: Party | null | undefined) => (p ? formatParty(p, lang, { full: true }) : t.none);
  const title = `${t.title}: ${typeLabel}`;

  const doc = new PDFDocument({
    size: 'A4',
    margin: 56,
    pdfVersion: '1.7',
    tagged: true,
    lang: LOCALES[lang],
    displayTitle: true,
    compress: input.compress ?? true,
    info: { Title: title, Subject: m.id, Author: publicUrl, Creator: 'SSM', CreationDate: now },
  });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });

  const root = doc.struct('Document');
  doc.addStructure(root);
  const put = (parent: Struct, tag: string, draw: () => void) => {
    const element = doc.struct(tag, {}, draw);
    parent.add(element);
    element.end();
  };
  const heading = (parent: Struct, tag: 'H1' | 'H2' | 'H3', text: string) =>
    put(parent, tag, () => {
      const size = tag === 'H1' ? 18 : tag === 'H2' ? 13 : 11;
      doc
        .moveDown(tag === 'H1' ? 0 : 0.6)
        .font('Helvetica-Bold')
        .fontSize(size)
        .fillColor('#000000')
        .text(text);
      doc.moveDown(0.2);
    });
  const field = (parent: Struct, label: string, value: string) =>
    put(parent, 'P', () => {
      doc.fontSize(10).font('Helvetica-Bold').text(`${label}: `, { continued: true }).font('Helvetica').text(value);
    });
  const paragraph = (parent: Struct, text: string, size = 10) =>
    put(parent, 'P', () => {
      doc.font('Helvetica').fontSize(size).text(text);
      doc.moveDown(0.3);
    });

  heading(root, 'H1', t.title);
  paragraph(root, `${typeLabel} (${domainLabel})`, 12);

  const about = doc.struct('Sect');
  root.add(about);
  heading(about, 'H2', t.mandate);
  field(about, t.id, m.id);
  field(about, t.type, `${typeLabel} (${m.type})`);
  field(about, t.mandator, full(m.mandator));
  field(about, t.mandatee, full(m.mandatee));
  field(about, t.validity, formatValidity(m.validFrom, m.validUntil, lang));
  field(about, t.reference, m.reference ?? t.none);
  field(about, t.language, t.languages[m.language]);
  field(about, t.status, t.statuses[m.status]);
  const state = effectiveState(m, now);
  if (state === 'scheduled' || state === 'active' || state === 'expired') {
    field(about, t.stateOn(formatDay(brusselsDay(now), lang)), t.states[state]);
  }
  field(about, t.version, String(m.version));
  field(about, t.contentHash, m.contentHash);
  if (m.predecessorId) field(about, t.predecessor, m.predecessorId);
  if (m.successorId) field(about, t.successor, m.successorId);
  if (m.endedAt) {
    const by = m.endedBy === 'system' ? t.system : m.endedBy ? t.roles[m.endedBy] : t.none;
    field(about, t.ended, `${formatInstant(m.endedAt, lang)} (${t.by} ${by})`);
    if (m.endReason) field(about, t.reason, m.endReason);
  }
  if (m.pendingAmendment) {
    field(about, t.pendingAmendment, formatValidity(m.pendingAmendment.validFrom, m.pendingAmendment.validUntil, lang));
  }
  about.end();

  const signatures = doc.struct('Sect');
  root.add(signatures);
  heading(signatures, 'H2', t.signatures);
  if (m.signatures.length === 0) paragraph(signatures, t.noSignatures);
  m.signatures.forEach((s: SignatureRecord, i) => {
    heading(signatures, 'H3', t.signature(i + 1, t.roles[s.role]));
    field(signatures, t.party, full(s.party));
    field(signatures, t.signer, full({ kind: 'person', id: s.signer }));
    field(signatures, t.signedAt, formatInstant(s.at, lang));
    field(signatures, t.authenticated, `${formatInstant(s.authTime, lang)}${s.authLevel ? ` (${s.authLevel})` : ''}`);
    field(signatures, t.version, String(s.version));
    field(signatures, t.contentHash, s.contentHash);
    field(signatures, t.covers, s.contentHash === m.contentHash ? t.yes : t.no);
    if (s.jws) {
      put(signatures, 'P', () => {
        doc.font('Helvetica-Bold').fontSize(10).text(`${t.jws}:`);
        const jws = s.jws as string;
        const lines: string[] = [];
        for (let at = 0; at < jws.length; at += JWS_LINE) lines.push(jws.slice(at, at + JWS_LINE));
        doc.font('Courier').fontSize(7).text(lines.join('\n'));
        doc.moveDown(0.3);
      });
    }
  });
  signatures.end();

  const past = doc.struct('Sect');
  root.add(past);
  heading(past, 'H2', t.history);
  const list = doc.struct('L');
  past.add(list);
  for (const e of history) {
    const actor = e.actor.kind === 'system' ? t.system : full({ kind: 'person', id: e.actor.id });
    const behalf = e.onBehalfOf && !(e.actor.kind === 'person' && e.onBehalfOf.kind === 'person' && e.onBehalfOf.id === e.actor.id);
    const line = `${formatInstant(e.at, lang)} – ${t.events[e.type]} ${t.by} ${actor}${behalf ? ` ${t.onBehalfOf} ${full(e.onBehalfOf)}` : ''} (${t.versionOf(e.version)})`;
    put(list, 'LI', () => {
      doc.font('Helvetica').fontSize(9).text(line);
    });
  }
  list.end();
  past.end();

  const verify = doc.struct('Sect');
  root.add(verify);
  heading(verify, 'H2', t.verifyTitle);
  for (const text of t.verify(`${publicUrl}/.well-known/jwks.json`)) paragraph(verify, text);
  verify.end();

  paragraph(root, t.generated(formatInstant(now.toISOString(), lang), publicUrl), 8);
  root.end();
  doc.end();
  return done;
}

/** The proof of one of the person's mandates (or an enterprise's they represent); outsiders get not-found. */
export async function mandateProof(
  app: AppContext,
  personId: string,
  mandateId: string,
  /** The reader's language; default the mandate's communication language. */
  lang: Language | undefined,
  publicUrl: string,
): Promise<{ ok: true; pdf: Buffer; mandate: Mandate; lang: Language } | { ok: false; refusal: Refusal }> {
  const found = await getMandateFor(app, personId, mandateId);
  if (!found.ok) return found;
  const language = lang ?? found.mandate.language;
  const pdf = await renderProofPdf({
    mandate: found.mandate,
    history: found.history,
    lang: language,
    now: app.now(),
    publicUrl,
    catalogue: app.catalogue,
  });
  return { ok: true, pdf, mandate: found.mandate, lang: language };
}
