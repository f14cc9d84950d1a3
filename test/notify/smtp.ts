// A real SMTP server for tests (smtp-server on 127.0.0.1, an ephemeral port, no TLS, no auth needed)
// that records every envelope and raw message, and a small MIME reader for assertions.
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { parseHeaders } from '../../src/app/notifications/mailer.js';

export interface ReceivedMail {
  envelopeFrom: string;
  envelopeTo: string[];
  raw: string;
  headers: Map<string, string>;
  messageId: string;
  subject: string;
  /** The text/plain part, decoded. */
  text: string;
  /** The text/html part, decoded. */
  html: string;
}

export interface TestSmtp {
  url: string;
  received: ReceivedMail[];
  /** Messages to one address. */
  to(address: string): ReceivedMail[];
  /** What a receiver deduplicating on Message-ID keeps. */
  deduplicated(): ReceivedMail[];
  clear(): void;
  close(): Promise<void>;
}

function decodePart(body: string, encoding: string | undefined): string {
  const enc = (encoding ?? '7bit').toLowerCase();
  if (enc === 'base64') return Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
  if (enc === 'quoted-printable') {
    const bytes = body
      .replace(/=\r?\n/g, '')
      .replace(/=([0-9A-Fa-f]{2})/g, (_m, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)));
    return Buffer.from(bytes, 'latin1').toString('utf8');
  }
  return body;
}

/** The decoded body of the first part with this content type (searching nested multiparts). */
export function partOf(raw: string, type: 'text/plain' | 'text/html'): string {
  const headers = parseHeaders(raw);
  const contentType = headers.get('content-type') ?? 'text/plain';
  const split = raw.search(/\r?\n\r?\n/);
  const body = split < 0 ? '' : raw.slice(split).replace(/^\r?\n\r?\n/, '');
  const boundary = contentType.match(/boundary="?([^";]+)"?/)?.[1];
  if (contentType.startsWith('multipart/') && boundary) {
    for (const piece of body.split(`--${boundary}`).slice(1)) {
      if (piece.startsWith('--')) break;
      const found = partOf(piece.replace(/^\r?\n/, ''), type);
      if (found) return found;
    }
    return '';
  }
  return contentType.startsWith(type) ? decodePart(body, headers.get('content-transfer-encoding')) : '';
}

export async function startSmtp(): Promise<TestSmtp> {
  const received: ReceivedMail[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    disableReverseLookup: true,
    // Pooled client connections stay open between rounds: do not wait for them when the test ends.
    closeTimeout: 100,
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        const headers = parseHeaders(raw);
        received.push({
          envelopeFrom: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          envelopeTo: session.envelope.rcptTo.map((r) => r.address),
          raw,
          headers,
          messageId: headers.get('message-id') ?? '',
          subject: headers.get('subject') ?? '',
          text: partOf(raw, 'text/plain'),
          html: partOf(raw, 'text/html'),
        });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.server.address() as AddressInfo;
  return {
    url: `smtp://127.0.0.1:${port}`,
    received,
    to: (address) => received.filter((m) => m.envelopeTo.includes(address)),
    deduplicated: () => [...new Map(received.map((m) => [m.messageId, m])).values()],
    clear: () => {
      received.length = 0;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
