import { describe, expect, it } from 'vitest';
import type { CalendarDate } from '../../src/core/dates.js';
import { type CheckAnswerBody, serializeCheckResponse } from '../../src/http/check-serializer.js';

const answer = (id: string, validUntil: CalendarDate | null): CheckAnswerBody => ({
  allowed: true,
  reason: 'active',
  mandate: { id, validFrom: '2026-01-01' as CalendarDate, validUntil },
  cursor: 42,
});

describe('check answers written by hand', () => {
  it('write the same JSON as JSON.stringify, all of it ASCII, whatever a mandate id holds', () => {
    const results = [
      answer('01900000-aaaa-7bbb-8ccc-000000000001', null),
      answer('01900000-aaaa-7bbb-8ccc-000000000002', '2027-12-31' as CalendarDate),
      answer('not-a-uuid "quoted" \\ é 日本', null),
      answer('line\u2028separator', null),
      { allowed: false, reason: 'no-mandate', cursor: 42 } as CheckAnswerBody,
    ];
    for (const body of [...results, { results, cursor: 42 }]) {
      const json = serializeCheckResponse(body);
      // biome-ignore lint/suspicious/noControlCharactersInRegex: the point is the range
      expect(json).toMatch(/^[\u0000-\u007f]*$/);
      expect(JSON.parse(json)).toEqual(JSON.parse(JSON.stringify(body)));
    }
  });
});
