// A tiny text extractor for the PDFs pdfkit writes with its standard fonts: content streams are
// inflated, and the WinAnsi-coded hex strings of each TJ/Tj show operator become one line of text.
// Also reads the document information and catalogue entries (title, language, tagging).
import { inflateSync } from 'node:zlib';

// WinAnsi is Latin-1 but for 0x80–0x9F (quotes, dashes, €, …); Node's decoder leaves those as C1 controls.
const WIN_ANSI_HIGH = '€\u0081‚ƒ„…†‡ˆ‰Š‹Œ\u008dŽ\u008f\u0090‘’“”•–—˜™š›œ\u009džŸ';
const winAnsi = (bytes: Buffer) =>
  [...bytes].map((b) => (b >= 0x80 && b <= 0x9f ? (WIN_ANSI_HIGH[b - 0x80] as string) : String.fromCharCode(b))).join('');

function streams(pdf: Buffer): Buffer[] {
  const out: Buffer[] = [];
  const latin = pdf.toString('latin1');
  const re = /(?<!end)stream\r?\n/g;
  for (let m = re.exec(latin); m; m = re.exec(latin)) {
    const start = m.index + m[0].length;
    const end = latin.indexOf('endstream', start);
    if (end < 0) break;
    const body = pdf.subarray(start, end);
    try {
      out.push(inflateSync(body));
    } catch {
      out.push(body);
    }
    re.lastIndex = end;
  }
  return out;
}

const hexText = (hex: string) => winAnsi(Buffer.from(hex, 'hex'));

/** The lines of text drawn, in order. */
export function pdfLines(pdf: Buffer): string[] {
  const lines: string[] = [];
  for (const s of streams(pdf)) {
    const content = s.toString('latin1');
    const shows = /\[((?:<[0-9a-fA-F]*>|[^\]])*)\]\s*TJ|<([0-9a-fA-F]*)>\s*Tj/g;
    for (let m = shows.exec(content); m; m = shows.exec(content)) {
      if (m[2] !== undefined) lines.push(hexText(m[2]));
      else lines.push([...(m[1] as string).matchAll(/<([0-9a-fA-F]*)>/g)].map((h) => hexText(h[1] as string)).join(''));
    }
  }
  return lines;
}

/** All drawn text as one string, wrapped lines joined by single spaces. */
export const pdfText = (pdf: Buffer) => pdfLines(pdf).join(' ').replace(/\s+/g, ' ');

/** Decodes the literal string starting at `from` (just after its opening parenthesis). */
function literalAt(latin: string, from: number): string {
  let depth = 0;
  const bytes: number[] = [];
  for (let i = from; i < latin.length; i += 1) {
    const ch = latin[i] as string;
    if (ch === '\\') {
      const next = latin[i + 1] as string;
      const octal = latin.slice(i + 1, i + 4).match(/^[0-7]{1,3}/)?.[0];
      if (octal) {
        bytes.push(Number.parseInt(octal, 8));
        i += octal.length;
      } else {
        bytes.push(({ n: 10, r: 13, t: 9, b: 8, f: 12 } as Record<string, number>)[next] ?? next.charCodeAt(0));
        i += 1;
      }
      continue;
    }
    if (ch === '(') depth += 1;
    if (ch === ')') {
      if (depth === 0) break;
      depth -= 1;
    }
    bytes.push(ch.charCodeAt(0));
  }
  const buf = Buffer.from(bytes);
  if (buf[0] === 0xfe && buf[1] === 0xff) return buf.subarray(2).swap16().toString('utf16le');
  return buf.toString('latin1');
}

/** A string entry of the document (e.g. /Title or /Lang), direct or by reference, decoded (UTF-16BE when it starts with a BOM). */
export function pdfEntry(pdf: Buffer, name: string): string | undefined {
  const latin = pdf.toString('latin1');
  const entry = latin.match(new RegExp(`/${name} (?:\\(|(\\d+) 0 R)`));
  if (!entry || entry.index === undefined) return undefined;
  if (entry[1] === undefined) return literalAt(latin, entry.index + entry[0].length);
  const object = latin.indexOf(`\n${entry[1]} 0 obj\n(`);
  return object < 0 ? undefined : literalAt(latin, object + `\n${entry[1]} 0 obj\n(`.length);
}
