// The rules for naming executors (which types a person may carry out for an enterprise), and the
// in-memory registers following the record of changes: order, repeats and what was already loaded.
import { describe, expect, it } from 'vitest';
import { PartyRegistry } from '../../src/check/party-registry.js';
import { executorTypes, MAX_EXECUTOR_TYPES } from '../../src/core/executors.js';
import type { RegistryChange } from '../../src/store/registry-port.js';
import { catalogue } from './fixtures.js';

const PIT = 'finance.personal-income-tax';
const VAT = 'finance.vat';
const PERSON_ONLY = 'ehealth.health-data-consult';

describe('executor types', () => {
  it('takes known types open to enterprise mandatees, each once and in order', () => {
    expect(executorTypes(catalogue, [VAT, PIT, VAT])).toEqual({ ok: true, types: [PIT, VAT] });
    expect(executorTypes(catalogue, [])).toEqual({ ok: true, types: [] });
  });

  it('names the field of the first type it cannot take', () => {
    expect(executorTypes(catalogue, [PIT, 'finance.nope'])).toMatchObject({
      ok: false,
      refusal: { code: 'TYPE_UNKNOWN', field: 'types.1' },
    });
    expect(catalogue.type(PERSON_ONLY)?.mandateeKinds).not.toContain('enterprise');
    expect(executorTypes(catalogue, [PERSON_ONLY])).toMatchObject({
      ok: false,
      refusal: { code: 'EXECUTOR_TYPE_NOT_FOR_ENTERPRISES', field: 'types.0' },
    });
    expect(executorTypes(catalogue, Array(MAX_EXECUTOR_TYPES + 1).fill(PIT))).toMatchObject({
      ok: false,
      refusal: { code: 'EXECUTOR_TYPES_TOO_MANY', field: 'types' },
    });
  });
});

describe('the registers in memory', () => {
  const E = '0403170701';
  let seq = 0;
  const change = (
    role: RegistryChange['role'],
    c: RegistryChange['change'],
    personId: string,
    type: string | null = null,
  ): RegistryChange => ({
    seq: ++seq,
    at: '2026-12-01T00:00:00.000Z',
    actor: 'test',
    role,
    change: c,
    enterpriseId: E,
    personId,
    type,
  });

  it('applies changes in order, and a change already applied (or loaded) again changes nothing', () => {
    const registry = new PartyRegistry();
    registry.replace([{ enterpriseId: E, personId: 'rep' }], []);
    const changes = [
      change('executor', 'added', 'x', PIT),
      change('executor', 'added', 'x', VAT),
      change('representative', 'removed', 'rep'),
      change('executor', 'removed', 'x', PIT),
      change('representative', 'added', 'y'),
    ];
    registry.apply(changes.slice(0, 2));
    expect(registry.isExecutor(E, 'x', PIT)).toBe(true);
    // A second catch-up that read an overlapping page: the repeats are skipped, the rest applied in order.
    registry.apply(changes.slice(0, 4));
    registry.apply(changes.slice(1, 3));
    expect(registry.cursor).toBe(changes[3]?.seq);
    expect(registry.isExecutor(E, 'x', PIT)).toBe(false);
    expect(registry.isExecutor(E, 'x', VAT)).toBe(true);
    expect(registry.isRepresentative(E, 'rep')).toBe(false);
    registry.apply(changes);
    expect(registry.isRepresentative(E, 'y')).toBe(true);
    expect(registry.cursor).toBe(changes[4]?.seq);
  });
});
