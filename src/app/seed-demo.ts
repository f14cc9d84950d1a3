// Demo data: representatives, executors and a few hundred mandates in every state, made through
// the real commands with a clock moved back in time, so the log and projection are genuine.

import type { Actor } from '../core/command.js';
import { addDays, brusselsDay } from '../core/dates.js';
import type { Party } from '../core/party.js';
import type { AppContext } from './context.js';
import { createMandate } from './create-mandate.js';
import { crowd, DEMO_CITIZENS, DEMO_ENTERPRISES } from './demo-data.js';
import {
  amendMandate,
  lapseMandate,
  refuseMandate,
  signMandate,
  stopMandate,
  transferMandate,
  withdrawMandate,
} from './mandate-commands.js';
import type { CommandResult } from './run-command.js';

const DAY = 86_400_000;
const person = (id: string): Party => ({ kind: 'person', id });
const enterprise = (id: string): Party => ({ kind: 'enterprise', id });

export interface SeedSummary {
  skipped: boolean;
  mandates: number;
  byStatus: Record<string, number>;
}

export async function seedDemo(app: AppContext, options: { crowdSize?: number } = {}): Promise<SeedSummary> {
  if ((await app.store.head()).seq > 0) return { skipped: true, mandates: 0, byStatus: {} };
  const [an, jozef, camille, luc, lena, noah, oliver, marie, pieter, sophie] = DEMO_CITIZENS.map((c) => c.nationalNumber) as string[] as [
    string,
    string,
    string,
    string,
    string,
    string,
    string,
    string,
    string,
    string,
  ];
  const [claes, martin, wouters, nieuw] = DEMO_ENTERPRISES.map((e) => e.enterpriseNumber) as [string, string, string, string];
  await app.store.addRepresentatives(
    DEMO_ENTERPRISES.flatMap((e) => e.representatives.map((p) => ({ enterpriseId: e.enterpriseNumber, personId: p, source: 'demo' }))),
  );
  await app.store.addExecutors(
    ['finance.personal-income-tax', 'finance.vat', 'finance.corporate-income-tax'].map((type) => ({
      enterpriseId: martin,
      personId: sophie,
      type,
    })),
  );

  const realNow = app.now().getTime();
  let clock = realNow - 400 * DAY;
  const at: AppContext = { ...app, now: () => new Date(clock) };
  const actor = (id: string): Actor => ({ kind: 'person', id, authTime: new Date(clock).toISOString(), authLevel: 'demo' });
  const today = () => brusselsDay(clock);
  const ok = (r: CommandResult) => {
    if (!r.ok) throw new Error(`demo seed: ${r.refusal.code} ${r.refusal.message}`);
    return r.mandate;
  };
  const propose = async (
    by: string,
    byParty: Party,
    type: string,
    mandator: Party,
    mandatee: Party,
    validUntil: string | null,
    startIn = 0,
  ) =>
    ok(
      await createMandate(at, actor(by), byParty, {
        type,
        mandator,
        mandatee,
        validFrom: addDays(today(), startIn),
        validUntil,
        reference: null,
        language: 'nl',
      }),
    );
  const target = (by: string, as: Party, mandateId: string) => ({ actor: actor(by), as, mandateId });

  // A crowd of citizens who let an accountant file their income tax, in every stage of life.
  const people = crowd(options.crowdSize ?? 240);
  const firms = [
    { id: claes, rep: marie },
    { id: martin, rep: luc },
  ];
  const lapseLater: string[] = [];
  for (const [i, p] of people.entries()) {
    const firm = firms[i % 2] as (typeof firms)[number];
    const stage = i % 12;
    clock = realNow - (stage === 0 ? 400 : stage === 1 ? 45 : 20) * DAY + i * 60_000;
    const limited = stage === 0 ? addDays(today(), 200) : stage % 3 === 0 ? addDays(today(), 700) : null;
    const m = await propose(
      p.nationalNumber,
      person(p.nationalNumber),
      'finance.personal-income-tax',
      person(p.nationalNumber),
      enterprise(firm.id),
      limited,
      stage === 11 ? 0 : 0,
    );
    const firmSigns = () => signMandate(at, target(firm.rep, enterprise(firm.id), m.id));
    if (stage === 0)
      ok(await firmSigns()); // expired by now
    else if (stage === 1) lapseLater.push(m.id);
    else if (stage === 2) ok(await refuseMandate(at, target(firm.rep, enterprise(firm.id), m.id), 'Not our client.'));
    else if (stage === 3) ok(await withdrawMandate(at, target(p.nationalNumber, person(p.nationalNumber), m.id)));
    else if (stage === 4) {
      ok(await firmSigns());
      ok(await stopMandate(at, target(p.nationalNumber, person(p.nationalNumber), m.id), 'Changed accountant.'));
    } else if (stage === 5) {
      ok(await firmSigns());
      const other = firms[(i + 1) % 2] as (typeof firms)[number];
      const t = ok(await transferMandate(at, target(p.nationalNumber, person(p.nationalNumber), m.id), enterprise(other.id)));
      ok(await signMandate(at, target(other.rep, enterprise(other.id), t.successorId as string)));
    } else if (stage === 6) {
      ok(await firmSigns());
      ok(await amendMandate(at, target(p.nationalNumber, person(p.nationalNumber), m.id), { validUntil: addDays(today(), 800) }));
    } else if (stage === 7) {
      ok(await firmSigns());
      ok(await transferMandate(at, target(p.nationalNumber, person(p.nationalNumber), m.id), enterprise(firms[(i + 1) % 2]!.id)));
    } else if (stage !== 8) ok(await firmSigns()); // 8 waits for the firm's signature
  }
  clock = realNow - 10 * DAY;
  for (const id of lapseLater) ok(await lapseMandate(at, id));

  // The named demo citizens, with something to see and do on their dashboards.
  clock = realNow - 5 * DAY;
  const an2jozef = await propose(jozef, person(jozef), 'finance.personal-income-tax', person(jozef), person(an), null);
  ok(await signMandate(at, target(an, person(an), an2jozef.id)));
  const ehealth = await propose(jozef, person(jozef), 'ehealth.health-data-consult', person(jozef), person(an), addDays(today(), 365));
  ok(await signMandate(at, target(an, person(an), ehealth.id)));
  await propose(camille, person(camille), 'finance.personal-income-tax', person(camille), person(an), null);
  await propose(an, person(an), 'flanders.service-vouchers', person(an), person(noah), addDays(today(), 300));
  await propose(lena, person(lena), 'finance.personal-income-tax', person(lena), enterprise(martin), null);
  await propose(oliver, person(oliver), 'finance.non-resident-income-tax', person(oliver), enterprise(claes), null, 10);
  const vat = await propose(pieter, enterprise(wouters), 'finance.vat', enterprise(wouters), enterprise(claes), null);
  ok(await signMandate(at, target(marie, enterprise(claes), vat.id)));
  await propose(pieter, enterprise(nieuw), 'finance.corporate-income-tax', enterprise(nieuw), enterprise(martin), null);
  const scheduled = await propose(noah, person(noah), 'finance.myminfin', person(noah), person(an), addDays(today(), 400), 30);
  ok(await signMandate(at, target(an, person(an), scheduled.id)));

  const byStatus: Record<string, number> = {};
  let total = 0;
  for (let after: string | null = null; ; ) {
    const page = await app.store.scanMandates(after, 1000);
    if (page.length === 0) break;
    for (const m of page) byStatus[m.status] = (byStatus[m.status] ?? 0) + 1;
    total += page.length;
    after = page.at(-1)!.id;
  }
  return { skipped: false, mandates: total, byStatus };
}
