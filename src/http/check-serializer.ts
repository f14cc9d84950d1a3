// The check route's answers, written by hand, as bytes. The route's response is a union (one answer
// or a batch), and fast-json-stringify serializes a union by validating the value against each branch
// first: that cost more than answering the check. A batch's answer is ~140 KB: built as a string it
// was thousands of small concatenations, flattened and then encoded again on the way out, which cost
// more than answering. So the bytes go straight into one buffer. Only the documented fields are
// written, always as ASCII: anything else in a string is written as a JSON escape (é as \u00e9).
import type { CheckAnswer, MandateRef } from '../check/index.js';

export interface CheckAnswerBody extends CheckAnswer {
  assertion?: string;
  explanation?: unknown;
}

export type CheckResponseBody = CheckAnswerBody | { results: CheckAnswerBody[]; cursor: number };

/** JSON of the value with every character beyond ASCII written as a JSON escape: the same JSON. */
const asciiJson = (value: unknown) =>
  JSON.stringify(value).replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);

/** Room for an answer naming a mandate (its id a UUID); the buffer grows if one needs more. */
const ANSWER_BYTES = 160;

class JsonBytes {
  buffer: Buffer;
  length = 0;

  constructor(expected: number) {
    this.buffer = Buffer.allocUnsafe(expected);
  }

  /** Writes text that is ASCII and needs no escaping in JSON (names, punctuation, digits, dates). */
  raw(text: string): void {
    if (this.length + text.length > this.buffer.length) this.grow(text.length);
    const { buffer } = this;
    let at = this.length;
    for (let i = 0; i < text.length; i++) buffer[at++] = text.charCodeAt(i);
    this.length = at;
  }

  /** Writes a JSON string: as it is when it is printable ASCII without quotes or backslashes (a mandate id), escaped otherwise. */
  string(text: string): void {
    if (this.length + text.length + 2 > this.buffer.length) this.grow(text.length + 2);
    const { buffer } = this;
    let at = this.length;
    buffer[at++] = 0x22;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c < 0x20 || c > 0x7e || c === 0x22 || c === 0x5c) {
        this.raw(asciiJson(text));
        return;
      }
      buffer[at++] = c;
    }
    buffer[at++] = 0x22;
    this.length = at;
  }

  /** The bytes written (a view of the buffer, not a copy). */
  bytes(): Buffer {
    return this.buffer.subarray(0, this.length);
  }

  private grow(needed: number): void {
    const bigger = Buffer.allocUnsafe(Math.max(this.buffer.length * 2, this.length + needed));
    this.buffer.copy(bigger, 0, 0, this.length);
    this.buffer = bigger;
  }
}

/** `{"allowed":…,"reason":"…"` for each answer the engine can give, written once. */
const heads = { allowed: new Map<string, string>(), refused: new Map<string, string>() };

function head(allowed: boolean, reason: string): string {
  const written = allowed ? heads.allowed : heads.refused;
  let json = written.get(reason);
  if (json === undefined) {
    json = `{"allowed":${allowed},"reason":${asciiJson(reason)}`;
    written.set(reason, json);
  }
  return json;
}

function writeMandate(out: JsonBytes, m: MandateRef): void {
  out.raw(',"mandate":{"id":');
  out.string(m.id);
  out.raw(',"validFrom":');
  out.string(m.validFrom);
  out.raw(',"validUntil":');
  if (m.validUntil === null) out.raw('null');
  else out.string(m.validUntil);
  out.raw('}');
}

/** `cursor` is the batch's cursor and `cursorText` its digits, which most answers share. */
function writeAnswer(out: JsonBytes, a: CheckAnswerBody, cursor: number, cursorText: string): void {
  out.raw(head(a.allowed, a.reason));
  if (a.mandate) writeMandate(out, a.mandate);
  out.raw(',"cursor":');
  out.raw(a.cursor === cursor ? cursorText : String(a.cursor));
  if (a.assertion !== undefined) out.raw(`,"assertion":${asciiJson(a.assertion)}`);
  if (a.explanation !== undefined) out.raw(`,"explanation":${asciiJson(a.explanation)}`);
  out.raw('}');
}

/** The answer's JSON as ASCII bytes. */
export function checkResponseBytes(body: CheckResponseBody): Buffer {
  if (!('results' in body)) {
    const out = new JsonBytes(ANSWER_BYTES);
    writeAnswer(out, body, body.cursor, String(body.cursor));
    return out.bytes();
  }
  const { results } = body;
  const out = new JsonBytes(ANSWER_BYTES * results.length + 32);
  const cursorText = String(body.cursor);
  out.raw('{"results":[');
  for (let i = 0; i < results.length; i++) {
    if (i > 0) out.raw(',');
    writeAnswer(out, results[i] as CheckAnswerBody, body.cursor, cursorText);
  }
  out.raw(`],"cursor":${cursorText}}`);
  return out.bytes();
}

/** The same JSON as a string, for the route (Fastify's serializer returns text). */
export const serializeCheckResponse = (body: CheckResponseBody): string => checkResponseBytes(body).toString('latin1');
