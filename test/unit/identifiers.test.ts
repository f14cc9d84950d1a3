import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseEnterpriseNumber, parseNationalNumber, parseParty } from '../../src/core/party.js';
import { ACME, ANN, DAVE } from './fixtures.js';

interface Vector {
  input: string;
  kind: 'person' | 'enterprise';
  valid: boolean;
  normalized?: string;
  code?: string;
  note?: string;
}

const vectors: Vector[] = JSON.parse(readFileSync(new URL('../fixtures/identifiers.json', import.meta.url), 'utf8')).cases;
const parse = (v: Vector) => (v.kind === 'person' ? parseNationalNumber(v.input) : parseEnterpriseNumber(v.input));

const mod97 = (n: number) => 97 - (n % 97);
const two = (n: number) => String(n).padStart(2, '0');

describe('reference vectors (test/fixtures/identifiers.json)', () => {
  it('has vectors for both kinds, valid and invalid', () => {
    expect(vectors.length).toBeGreaterThanOrEqual(10);
    expect(new Set(vectors.map((v) => `${v.kind}/${v.valid}`)).size).toBe(4);
  });

  for (const v of vectors.filter((c) => c.valid)) {
    it(`accepts ${v.kind} ${JSON.stringify(v.input)}${v.note ? ` (${v.note})` : ''}`, () => {
      expect(parse(v)).toEqual({ ok: true, value: v.normalized ?? v.input });
    });
  }

  for (const v of vectors.filter((c) => !c.valid)) {
    it(`refuses ${v.kind} ${JSON.stringify(v.input)} with ${v.code}${v.note ? ` (${v.note})` : ''}`, () => {
      const result = parse(v);
      expect(result.ok).toBe(false);
      if (!result.ok) {
        expect(result.refusal.code).toBe(v.code);
        expect(result.refusal.field).toBe('id');
      }
    });
  }
});

describe('parseNationalNumber', () => {
  it('accepts the pre-2000 and the 2000+ formula, since the century is not in the digits', () => {
    expect(parseNationalNumber(ANN)).toEqual({ ok: true, value: ANN });
    expect(parseNationalNumber(DAVE)).toEqual({ ok: true, value: DAVE });
    expect(parseNationalNumber(`031105257${two(mod97(31105257))}`).ok).toBe(true);
  });

  it('accepts an unknown birth date (month and day 00) and BIS months 20 and 40', () => {
    for (const base of ['850000123', '852000123', '854000123', '853231123', '855231123']) {
      expect(parseNationalNumber(`${base}${two(mod97(Number(base)))}`).ok, base).toBe(true);
    }
  });

  it('refuses months that are neither a month nor a BIS month, and days above 31', () => {
    for (const base of ['851300123', '853300123', '853900123', '855300123', '850132123']) {
      const result = parseNationalNumber(`${base}${two(mod97(Number(base)))}`);
      expect(result.ok ? 'ok' : result.refusal.code, base).toBe('IDENTIFIER_DATE');
    }
  });

  it('names the field it was given', () => {
    const result = parseNationalNumber('123', 'signer');
    expect(result).toMatchObject({ ok: false, refusal: { code: 'IDENTIFIER_FORMAT', field: 'signer' } });
  });
});

describe('parseParty', () => {
  it('normalizes a person and an enterprise', () => {
    expect(parseParty({ kind: 'person', id: '85.07.30-033.28' }, 'mandator')).toEqual({ ok: true, value: { kind: 'person', id: ANN } });
    expect(parseParty({ kind: 'enterprise', id: 'BE 0403.170.701' }, 'mandatee')).toEqual({
      ok: true,
      value: { kind: 'enterprise', id: ACME },
    });
  });

  it('names the identifier field under the party field', () => {
    expect(parseParty({ kind: 'person', id: '85073003329' }, 'mandatee')).toMatchObject({
      ok: false,
      refusal: { code: 'IDENTIFIER_CHECK_DIGIT', field: 'mandatee.id' },
    });
    expect(parseParty({ kind: 'enterprise', id: '0403170702' }, 'mandator')).toMatchObject({
      ok: false,
      refusal: { code: 'IDENTIFIER_CHECK_DIGIT', field: 'mandator.id' },
    });
    expect(parseParty({ kind: 'person', id: 85073003328 }, 'mandatee')).toMatchObject({
      ok: false,
      refusal: { code: 'IDENTIFIER_FORMAT', field: 'mandatee.id' },
    });
  });

  it('checks the identifier by the kind it is given', () => {
    expect(parseParty({ kind: 'enterprise', id: ANN }, 'mandatee')).toMatchObject({ ok: false, refusal: { field: 'mandatee.id' } });
    expect(parseParty({ kind: 'person', id: ACME }, 'mandatee')).toMatchObject({
      ok: false,
      refusal: { code: 'IDENTIFIER_FORMAT', field: 'mandatee.id' },
    });
  });

  it('refuses a missing or malformed party, naming the field', () => {
    for (const raw of [null, undefined, 'person', 42]) {
      expect(parseParty(raw, 'mandatee')).toMatchObject({ ok: false, refusal: { code: 'PARTY_INVALID', field: 'mandatee' } });
    }
    expect(parseParty({ kind: 'company', id: ACME }, 'mandatee')).toMatchObject({
      ok: false,
      refusal: { code: 'PARTY_KIND', field: 'mandatee.kind' },
    });
  });
});

// A national-number base YYMMDDSSS with a plausible date part: month 0-12, BIS 20-32 or 40-52, day 0-31.
const nationalBase = fc
  .record({
    yy: fc.integer({ min: 0, max: 99 }),
    mm: fc.oneof(fc.integer({ min: 0, max: 12 }), fc.integer({ min: 20, max: 32 }), fc.integer({ min: 40, max: 52 })),
    dd: fc.integer({ min: 0, max: 31 }),
    sss: fc.integer({ min: 0, max: 999 }),
  })
  .map(({ yy, mm, dd, sss }) => ({ yy: two(yy), mm: two(mm), dd: two(dd), sss: String(sss).padStart(3, '0') }));

describe('check digits (properties)', () => {
  it('national numbers: both computed check digits validate; every other check is refused with IDENTIFIER_CHECK_DIGIT', () => {
    fc.assert(
      fc.property(nationalBase, fc.integer({ min: 0, max: 99 }), ({ yy, mm, dd, sss }, other) => {
        const base = `${yy}${mm}${dd}${sss}`;
        const checks = [mod97(Number(base)), mod97(2_000_000_000 + Number(base))];
        for (const c of checks) expect(parseNationalNumber(`${base}${two(c)}`)).toEqual({ ok: true, value: `${base}${two(c)}` });
        const formatted = `${yy}.${mm}.${dd}-${sss}.${two(checks[0]!)}`;
        expect(parseNationalNumber(formatted)).toEqual({ ok: true, value: `${base}${two(checks[0]!)}` });
        expect(parseNationalNumber(` ${yy} ${mm} ${dd} ${sss} ${two(checks[1]!)} `)).toEqual({
          ok: true,
          value: `${base}${two(checks[1]!)}`,
        });
        if (!checks.includes(other)) {
          const result = parseNationalNumber(`${base}${two(other)}`, 'mandatee.id');
          expect(result).toMatchObject({ ok: false, refusal: { code: 'IDENTIFIER_CHECK_DIGIT', field: 'mandatee.id' } });
        }
      }),
      { numRuns: 500 },
    );
  });

  it('enterprise numbers: the computed check digits validate in every format; every other check is refused', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 19_999_999 }), fc.integer({ min: 0, max: 99 }), (n, other) => {
        const base = String(n).padStart(8, '0');
        const check = mod97(n);
        const number = `${base}${two(check)}`;
        expect(parseEnterpriseNumber(number)).toEqual({ ok: true, value: number });
        const dotted = `${number.slice(0, 4)}.${number.slice(4, 7)}.${number.slice(7)}`;
        for (const formatted of [dotted, `BE ${dotted}`, `be${number}`, `BE-${number.slice(0, 4)}-${number.slice(4)}`]) {
          expect(parseEnterpriseNumber(formatted), formatted).toEqual({ ok: true, value: number });
        }
        if (number.startsWith('0')) expect(parseEnterpriseNumber(number.slice(1))).toEqual({ ok: true, value: number });
        if (other !== check) {
          expect(parseEnterpriseNumber(`${base}${two(other)}`)).toMatchObject({ ok: false, refusal: { code: 'IDENTIFIER_CHECK_DIGIT' } });
        }
      }),
      { numRuns: 500 },
    );
  });
});
