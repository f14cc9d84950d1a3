// A tiny HTTP client for black-box tests: JSON in and out, bearer tokens, If-Match and problem bodies.
import { expect } from 'vitest';

// biome-ignore lint/suspicious/noExplicitAny: black-box tests read response bodies freely; assertions check their shape
export interface Answer<T = any> {
  status: number;
  headers: Headers;
  body: T;
}

/** Asserts an RFC 9457 problem: its status, `code` and (when given) the `field` it names. */
export function expectProblem(answer: Answer, status: number, code: string, field?: string) {
  expect(answer.status, JSON.stringify(answer.body)).toBe(status);
  expect(answer.headers.get('content-type')).toContain('application/problem+json');
  expect(answer.body.code).toBe(code);
  if (field !== undefined) expect(answer.body.field).toBe(field);
}

export function httpClient(baseUrl: string) {
  // biome-ignore lint/suspicious/noExplicitAny: as above
  return async function call<T = any>(
    method: string,
    path: string,
    options: { token?: string; body?: unknown; rawBody?: string; ifMatch?: string; headers?: Record<string, string> } = {},
  ): Promise<Answer<T>> {
    const headers: Record<string, string> = { accept: 'application/json', ...options.headers };
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    if (options.ifMatch) headers['if-match'] = options.ifMatch;
    let body: string | undefined;
    if (options.rawBody !== undefined) body = options.rawBody;
    else if (options.body !== undefined) body = JSON.stringify(options.body);
    if (body !== undefined && !headers['content-type']) headers['content-type'] = 'application/json';
    const response = await fetch(`${baseUrl}${path}`, { method, headers, body });
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : null;
    } catch {
      // not JSON: keep the text
    }
    return { status: response.status, headers: response.headers, body: parsed as T };
  };
}
