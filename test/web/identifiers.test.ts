// The identifier check as the user types: quiet while plausible, precise when wrong, same verdict as the domain core.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { makeEnterpriseNumber, makeNationalNumber, parseEnterpriseNumber, parseNationalNumber } from '../../src/core/party.js';
import { checkIdentifier, finalIdentifierCheck, formatIdentifier } from '../../web/src/lib/identifiers.js';

const AN = makeNationalNumber('850730', 33); // 85073003328
const NOAH = makeNationalNumber('030510', 318, true); // born in 2003
const BIS = makeNationalNumber('852730', 33);
const ACME = makeEnterpriseNumber('04031707'); // 0403170701

describe('national numbers as typed', () => {
  it('stays quiet while the digits are still coming, and counts them', () => {
    expect(checkIdentifier('person', '')).toEqual({ state: 'empty' });
    expect(checkIdentifier('person', '85')).toEqual({ state: 'incomplete', digits: 2, expected: 11 });
    expect(checkIdentifier('person', '85.07.30-0')).toEqual({ state: 'incomplete', digits: 7, expected: 11 });
  });

  it('says the birth date part is wrong as soon as it is typed', () => {
    expect(checkIdentifier('person', '851330')).toEqual({ state: 'invalid', problem: 'IDENTIFIER_DATE' });
    expect(checkIdentifier('person', '85.07.32')).toEqual({ state: 'invalid', problem: 'IDENTIFIER_DATE' });
  });

  it('accepts BIS months (+20, +40) and people born from 2000', () => {
    expect(checkIdentifier('person', BIS)).toMatchObject({ state: 'valid', value: BIS });
    expect(checkIdentifier('person', NOAH)).toMatchObject({ state: 'valid', value: NOAH });
  });

  it('checks the check digits once complete, and formats a valid number', () => {
    expect(checkIdentifier('person', '85.07.30-033.28')).toEqual({ state: 'valid', value: AN, formatted: '85.07.30-033.28' });
    expect(checkIdentifier('person', '85073003329')).toEqual({ state: 'invalid', problem: 'IDENTIFIER_CHECK_DIGIT' });
  });

  it('refuses letters and too many digits', () => {
    expect(checkIdentifier('person', '85a')).toEqual({ state: 'invalid', problem: 'IDENTIFIER_FORMAT' });
    expect(checkIdentifier('person', `${AN}1`)).toEqual({ state: 'invalid', problem: 'IDENTIFIER_FORMAT' });
  });

  it('treats an incomplete number as a format error only when submitted', () => {
    expect(finalIdentifierCheck('person', '8507')).toEqual({ state: 'invalid', problem: 'IDENTIFIER_FORMAT' });
    expect(finalIdentifierCheck('person', AN)).toMatchObject({ state: 'valid' });
  });
});

describe('enterprise numbers as typed', () => {
  it('accepts the usual forms: dotted, BE prefix, old nine digits', () => {
    expect(checkIdentifier('enterprise', '0403.170.701')).toEqual({ state: 'valid', value: ACME, formatted: '0403.170.701' });
    expect(checkIdentifier('enterprise', 'BE 0403 170 701')).toMatchObject({ state: 'valid', value: ACME });
    expect(checkIdentifier('enterprise', '403170701')).toMatchObject({ state: 'valid', value: ACME });
  });

  it('is incomplete below ten digits, wrong with a bad start or check', () => {
    expect(checkIdentifier('enterprise', '0403.17')).toEqual({ state: 'incomplete', digits: 6, expected: 10 });
    expect(checkIdentifier('enterprise', '2403170701')).toEqual({ state: 'invalid', problem: 'IDENTIFIER_FORMAT' });
    expect(checkIdentifier('enterprise', '0403170702')).toEqual({ state: 'invalid', problem: 'IDENTIFIER_CHECK_DIGIT' });
  });
});

describe('agreement with the domain core', () => {
  it('gives the core verdict for every complete 11-digit input', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^\d{11}$/), (digits) => {
        const ui = checkIdentifier('person', digits);
        const core = parseNationalNumber(digits);
        expect(ui.state === 'valid').toBe(core.ok);
        if (!core.ok && ui.state === 'invalid') expect(ui.problem).toBe(core.refusal.code);
      }),
    );
  });

  it('accepts every number the core can make', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 99 }),
        fc.integer({ min: 1, max: 12 }),
        fc.integer({ min: 1, max: 28 }),
        fc.integer({ min: 1, max: 997 }),
        fc.boolean(),
        (yy, mm, dd, serial, from2000) => {
          const birth = [yy, mm, dd].map((n) => String(n).padStart(2, '0')).join('');
          const nn = makeNationalNumber(birth, serial, from2000);
          expect(checkIdentifier('person', formatIdentifier('person', nn))).toMatchObject({ state: 'valid', value: nn });
        },
      ),
    );
  });

  it('gives the core verdict for every complete 10-digit enterprise number', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[01]\d{9}$/), (digits) => {
        expect(checkIdentifier('enterprise', digits).state === 'valid').toBe(parseEnterpriseNumber(digits).ok);
      }),
    );
  });
});

describe('formatIdentifier', () => {
  it('writes numbers as printed on cards and in the enterprise register', () => {
    expect(formatIdentifier('person', AN)).toBe('85.07.30-033.28');
    expect(formatIdentifier('enterprise', ACME)).toBe('0403.170.701');
    expect(formatIdentifier('enterprise', '123')).toBe('123');
  });
});
