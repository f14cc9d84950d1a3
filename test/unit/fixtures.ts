// Shared fixtures for the pure unit tests of the domain core: the real catalogue, valid
// identifiers, a DecideContext builder and a tiny in-memory "world" that folds decisions.
import { readFileSync } from 'node:fs';
import { expect } from 'vitest';
import { loadCatalogue } from '../../src/core/catalogue.js';
import { type Command, type CreateInput, type DecideContext, type Decision, duplicateScope } from '../../src/core/command.js';
import { brusselsDay } from '../../src/core/dates.js';
import { evolve, type MandateEvent } from '../../src/core/events.js';
import { decide } from '../../src/core/lifecycle.js';
import type { Mandate } from '../../src/core/mandate.js';
import { type Party, sameParty } from '../../src/core/party.js';
import type { Refusal, RefusalCode } from '../../src/core/refusal.js';

export const catalogue = loadCatalogue(JSON.parse(readFileSync(new URL('../../catalogue/catalogue.json', import.meta.url), 'utf8')));

const mod97 = (n: number) => 97 - (n % 97);
const two = (n: number) => String(n).padStart(2, '0');

/** A valid national number from its 9 first digits (YYMMDDSSS); `born2000` uses the 2-prefixed formula. */
export const nationalNumber = (base: string, born2000 = false) => `${base}${two(mod97((born2000 ? 2_000_000_000 : 0) + Number(base)))}`;
/** A valid enterprise number from its 8 first digits. */
export const enterpriseNumber = (base: string) => `${base}${two(mod97(Number(base)))}`;

export const ANN = nationalNumber('850730033'); // 85073003328
export const BOB = nationalNumber('900115123');
export const CAROL = nationalNumber('771231456');
export const DAVE = nationalNumber('031105257', true); // 03110525753, born 2003
/** A person who represents ACME (and, where a test says so, GLOBEX). */
export const REP = nationalNumber('650420789');
export const ACME = enterpriseNumber('04031707'); // 0403170701
export const GLOBEX = enterpriseNumber('10012345'); // 1001234592

export const person = (id: string): Party => ({ kind: 'person', id });
export const enterprise = (id: string): Party => ({ kind: 'enterprise', id });

/** Types used by the tests (see catalogue/catalogue.json). */
export const T = {
  /** person → person|enterprise, unlimited allowed. */
  pit: 'finance.personal-income-tax',
  /** enterprise → enterprise|person. */
  vat: 'finance.vat',
  /** person|enterprise → person|enterprise, no unlimited, at most 60 months. */
  disputes: 'finance.tax-disputes',
  /** person → person only, at most 24 months. */
  vouchers: 'flanders.service-vouchers',
  /** person → person only, unlimited allowed. */
  consent: 'ehealth.consent-management',
} as const;

export const POLICY = { proposalDays: 30, signMaxAgeSeconds: 600 };
/** Tuesday 1 December 2026, 11:00 in Brussels. */
export const NOW = '2026-12-01T10:00:00.000Z';

export interface CtxOptions {
  now?: Date | string;
  /** National number of the acting person, or the system. */
  actor?: string | 'system';
  /** Defaults to the actor themself. */
  as?: Party | null;
  represents?: Iterable<string>;
  authTime?: string;
  authLevel?: string | null;
  expectedVersion?: number;
  linked?: Iterable<Mandate>;
  sameTriple?: readonly Mandate[];
  policy?: Partial<DecideContext['policy']>;
}

export function ctx(o: CtxOptions = {}): DecideContext {
  const now = new Date(o.now ?? NOW);
  const actorId = o.actor ?? ANN;
  const base = {
    now,
    catalogue,
    represents: new Set(o.represents ?? []),
    linked: new Map([...(o.linked ?? [])].map((m) => [m.id, m] as const)),
    sameTriple: o.sameTriple ?? [],
    policy: { ...POLICY, ...o.policy },
    ...(o.expectedVersion === undefined ? {} : { expectedVersion: o.expectedVersion }),
  };
  if (actorId === 'system') return { ...base, actor: { kind: 'system' }, as: o.as ?? null };
  return {
    ...base,
    actor: { kind: 'person', id: actorId, authTime: o.authTime ?? now.toISOString(), authLevel: o.authLevel ?? null },
    as: o.as === undefined ? person(actorId) : o.as,
  };
}

/** Who issues a command in a World: the system, or a person acting for a party. */
export type Who = 'system' | Omit<CtxOptions, 'now' | 'linked' | 'sameTriple'>;

/** How a party acts: a person acts for themself, an enterprise through REP. */
export const whoFor = (party: Party, extra: Omit<CtxOptions, 'now' | 'actor' | 'as' | 'represents'> = {}): Who =>
  party.kind === 'person' ? { actor: party.id, ...extra } : { actor: REP, as: party, represents: [party.id], ...extra };

/** An in-memory set of mandates and their events; `run` decides with a context loaded like the service would and folds the events. */
export class World {
  readonly mandates = new Map<string, Mandate>();
  readonly log: MandateEvent[] = [];
  now: Date;

  constructor(now: string = NOW) {
    this.now = new Date(now);
  }

  at(instant: string): this {
    this.now = new Date(instant);
    return this;
  }

  get today(): string {
    return brusselsDay(this.now);
  }

  get(id: string): Mandate {
    const m = this.mandates.get(id);
    if (!m) throw new Error(`no mandate ${id}`);
    return m;
  }

  context(command: Command, mandate: Mandate | undefined, who: Who): DecideContext {
    const linked = [mandate?.predecessorId, mandate?.successorId].flatMap((id) => (id && this.mandates.has(id) ? [this.get(id)] : []));
    const scope = duplicateScope(command, mandate);
    const sameTriple = scope
      ? [...this.mandates.values()].filter(
          (m) => m.type === scope.type && sameParty(m.mandator, scope.mandator) && sameParty(m.mandatee, scope.mandatee),
        )
      : [];
    const options = who === 'system' ? { actor: 'system' } : who;
    return ctx({ ...options, now: this.now, linked, sameTriple });
  }

  decide(command: Command, id: string | undefined, who: Who): Decision {
    const mandate = id === undefined ? undefined : this.mandates.get(id);
    return decide(command, mandate, this.context(command, mandate, who));
  }

  /** Decides and, when accepted, applies the events. */
  run(command: Command, id: string | undefined, who: Who): Decision {
    const decision = this.decide(command, id, who);
    if (decision.ok) this.apply(decision.events);
    return decision;
  }

  apply(events: readonly MandateEvent[]): void {
    for (const e of events) {
      this.mandates.set(e.mandateId, evolve(this.mandates.get(e.mandateId), e));
      this.log.push(e);
    }
  }

  input(overrides: Partial<CreateInput> = {}): CreateInput {
    return {
      type: T.pit,
      mandator: person(ANN),
      mandatee: person(BOB),
      validFrom: this.today,
      validUntil: null,
      reference: null,
      language: 'nl',
      ...overrides,
    };
  }

  /** Creates a mandate, by default ANN → BOB for personal income tax from today, proposed by the mandator. */
  create(id: string, overrides: Partial<CreateInput> = {}, by: 'mandator' | 'mandatee' = 'mandator'): Decision {
    const input = this.input(overrides);
    return this.run({ kind: 'create', id, input }, undefined, whoFor(input[by]));
  }

  /** Creates a mandate and has the other party sign it; fails the test if either step is refused. */
  signed(id: string, overrides: Partial<CreateInput> = {}): Mandate {
    accepted(this.create(id, overrides));
    accepted(this.run({ kind: 'sign' }, id, whoFor(this.get(id).mandatee)));
    expect(this.get(id).status).toBe('signed');
    return this.get(id);
  }

  /** Runs a command as the mandator or the mandatee of the mandate. */
  as(role: 'mandator' | 'mandatee', command: Command, id: string, extra: Omit<CtxOptions, 'now' | 'actor' | 'as' | 'represents'> = {}) {
    return this.run(command, id, whoFor(this.get(id)[role], extra));
  }
}

export function accepted(decision: Decision): MandateEvent[] {
  if (!decision.ok) throw new Error(`expected acceptance, got ${decision.refusal.code}: ${decision.refusal.message}`);
  return decision.events;
}

export function refused(decision: Decision, code: RefusalCode, field?: string): Refusal {
  if (decision.ok) throw new Error(`expected ${code}, got events ${decision.events.map((e) => e.type).join(', ')}`);
  expect(decision.refusal.code).toBe(code);
  if (field !== undefined) expect(decision.refusal.field).toBe(field);
  return decision.refusal;
}

export const minutesBefore = (instant: string | Date, minutes: number) =>
  new Date(new Date(instant).getTime() - minutes * 60_000).toISOString();
