// The check route's answers, written by hand. The route's response is a union (one answer or a
// batch), and fast-json-stringify serializes a union by validating the value against each branch
// first: that cost more than answering the check. Only the documented fields are written, and
// always as ASCII (anything else escaped): a batch's answer of ~150 KB then is as many bytes as
// characters, and is written without measuring or encoding it first.
import type { CheckAnswer, MandateRef } from '../check/index.js';

export interface CheckAnswerBody extends CheckAnswer {
  assertion?: string;
  explanation?: unknown;
}

export type CheckResponseBody = CheckAnswerBody | { results: CheckAnswerBody[]; cursor: number };

/** JSON of the value with every character beyond ASCII written as a JSON escape (é as \u00e9): the same JSON. */
const asciiJson = (value: unknown) =>
  JSON.stringify(value).replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);

/** What a mandate id is made of: the service's own UUIDs (anything else goes through JSON.stringify). */
const PLAIN_ID = /^[0-9a-f-]+$/;

/**
 * Written afresh for each answer, not cached per mandate: at a million mandates most answers name one
 * not written before, and a cache would cost more (a WeakMap entry and a string kept per mandate ever
 * checked) than the few concatenations. Days are calendar dates (YYYY-MM-DD): ASCII as they are.
 */
function mandateJson(m: MandateRef): string {
  const id = PLAIN_ID.test(m.id) ? `"${m.id}"` : asciiJson(m.id);
  return `{"id":${id},"validFrom":"${m.validFrom}","validUntil":${m.validUntil === null ? 'null' : `"${m.validUntil}"`}}`;
}

/** `{"allowed":…,"reason":…` for each answer the engine can give, written once. */
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

function answerJson(a: CheckAnswerBody): string {
  let json = head(a.allowed, a.reason);
  if (a.mandate) json += `,"mandate":${mandateJson(a.mandate)}`;
  json += `,"cursor":${a.cursor}`;
  if (a.assertion !== undefined) json += `,"assertion":${asciiJson(a.assertion)}`;
  if (a.explanation !== undefined) json += `,"explanation":${asciiJson(a.explanation)}`;
  return `${json}}`;
}

/** The answer's JSON, all ASCII: its length in characters is its length in bytes. */
export function serializeCheckResponse(body: CheckResponseBody): string {
  if (!('results' in body)) return answerJson(body);
  let json = '{"results":[';
  for (let i = 0; i < body.results.length; i++) json += (i === 0 ? '' : ',') + answerJson(body.results[i] as CheckAnswerBody);
  return `${json}],"cursor":${body.cursor}}`;
}
