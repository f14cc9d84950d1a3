// Where e-mail goes: an SMTP server (SSM_SMTP_URL), or — for development and demos — a local sink
// directory with one .eml file per message. Nothing is dropped: in production without an SMTP server
// there is no transport, and messages wait in the outbox.
import { createHash } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createTransport } from 'nodemailer';
import type { Language } from '../../core/party.js';

export interface OutgoingMail {
  /** `<key@host>`: the same for every attempt of one message, so receivers can drop repeats. */
  messageId: string;
  from: string;
  to: string;
  subject: string;
  text: string;
  html: string;
  /** The message's creation time: kept across attempts, so a resend carries the same bytes. */
  date: Date;
  language: Language;
}

export interface MailTransport {
  readonly kind: 'smtp' | 'sink';
  /** Resolves once the server accepted the message (or the sink wrote it); rejects otherwise. */
  send(mail: OutgoingMail): Promise<void>;
  close(): void;
}

const mailOptions = (mail: OutgoingMail) => ({
  // Part boundaries derived from the Message-ID: every attempt of a message sends the same bytes.
  baseBoundary: createHash('sha256').update(mail.messageId).digest('hex').slice(0, 16),
  from: mail.from,
  to: mail.to,
  subject: mail.subject,
  text: mail.text,
  html: mail.html,
  messageId: mail.messageId,
  date: mail.date,
  headers: {
    'Content-Language': mail.language,
    // RFC 3834: automatic message, no auto-replies please.
    'Auto-Submitted': 'auto-generated',
    'X-Auto-Response-Suppress': 'All',
  },
});

export function smtpTransport(url: string): MailTransport {
  // Pooled: a round of digests reuses a few connections instead of one handshake per message.
  const transporter = createTransport({ url, pool: true, maxConnections: 3 });
  return {
    kind: 'smtp',
    async send(mail) {
      await transporter.sendMail(mailOptions(mail));
    },
    close: () => transporter.close(),
  };
}

const fileNameFor = (mail: OutgoingMail) =>
  `${mail.date.toISOString().replace(/[-:.]/g, '')}_${mail.messageId.replace(/[<>]/g, '').replace(/[^\w.@-]/g, '_')}.eml`;

/** Writes each message to `<dir>/<date>_<message-id>.eml`; a resend overwrites its file, as a receiver deduplicating on Message-ID would. */
export function sinkTransport(dir: string): MailTransport {
  const composer = createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
  return {
    kind: 'sink',
    async send(mail) {
      mkdirSync(dir, { recursive: true });
      const info = await composer.sendMail(mailOptions(mail));
      await writeFile(join(dir, fileNameFor(mail)), info.message as Buffer);
    },
    close: () => composer.close(),
  };
}

/** The transport the configuration asks for: SMTP, the sink outside production, or none (mail waits). */
export function transportFor(config: { smtpUrl: string; nodeEnv: string; mailDir: string }): MailTransport | null {
  if (config.smtpUrl) return smtpTransport(config.smtpUrl);
  if (config.nodeEnv === 'production') return null;
  return sinkTransport(config.mailDir);
}

export interface SinkEntry {
  file: string;
  messageId: string;
  to: string;
  subject: string;
  date: string;
}

/** RFC 2047 encoded words (=?UTF-8?B?…?= / =?UTF-8?Q?…?=) in a header, decoded. */
export function decodeHeader(value: string): string {
  return value
    .replace(/\?=\s+=\?/g, '?==?')
    .replace(/=\?([^?]+)\?([BbQq])\?([^?]*)\?=/g, (_, _charset: string, encoding: string, text: string) => {
      if (encoding.toUpperCase() === 'B') return Buffer.from(text, 'base64').toString('utf8');
      const bytes = text
        .replace(/_/g, ' ')
        .replace(/=([0-9A-Fa-f]{2})/g, (_m, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)));
      return Buffer.from(bytes, 'latin1').toString('utf8');
    });
}

/** The header block of a raw message, unfolded, as name → value (first occurrence). */
export function parseHeaders(raw: string): Map<string, string> {
  const head = raw.split(/\r?\n\r?\n/, 1)[0] ?? '';
  const headers = new Map<string, string>();
  for (const line of head.replace(/\r?\n[ \t]+/g, ' ').split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim().toLowerCase();
    if (!headers.has(name)) headers.set(name, decodeHeader(line.slice(colon + 1).trim()));
  }
  return headers;
}

/** The messages in the sink, newest first. */
export async function listSink(dir: string, limit = 200): Promise<SinkEntry[]> {
  let files: string[];
  try {
    files = (await readdir(dir)).filter((f) => f.endsWith('.eml'));
  } catch {
    return [];
  }
  files.sort().reverse();
  return Promise.all(
    files.slice(0, limit).map(async (file) => {
      const headers = parseHeaders(await readFile(join(dir, file), 'utf8'));
      return {
        file,
        messageId: headers.get('message-id') ?? '',
        to: headers.get('to') ?? '',
        subject: headers.get('subject') ?? '',
        date: headers.get('date') ?? '',
      };
    }),
  );
}

/** One raw message of the sink, by file name (only names listed by `listSink` are accepted). */
export async function readSinkFile(dir: string, file: string): Promise<string | undefined> {
  if (!/^[\w.@-]+\.eml$/.test(file)) return undefined;
  try {
    return await readFile(join(dir, file), 'utf8');
  } catch {
    return undefined;
  }
}
