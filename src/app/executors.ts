// An enterprise names its executors: the people who may carry out its mandates of given types (§3).
// Its representatives see and set them; each change is recorded (who, when) and reaches every
// instance's check engine by the record's position, so a person removed is refused at once.
import { executorTypes } from '../core/executors.js';
import type { Parsed } from '../core/party.js';
import { type Refusal, refusal } from '../core/refusal.js';
import type { AppContext } from './context.js';
import { mayActAs } from './queries.js';

export interface ExecutorView {
  person: string;
  types: string[];
}

const notRepresentative = (): { ok: false; refusal: Refusal } => ({
  ok: false,
  refusal: refusal('ACTOR_NOT_REPRESENTATIVE', 'You are not a representative of this enterprise.', 'enterpriseNumber'),
});

/** The enterprise's executors, each person with the types they execute. */
export async function listExecutors(app: AppContext, actorId: string, enterpriseId: string): Promise<Parsed<ExecutorView[]>> {
  if (!(await mayActAs(app, actorId, { kind: 'enterprise', id: enterpriseId }))) return notRepresentative();
  const byPerson = new Map<string, string[]>();
  for (const e of await app.store.executorsOf(enterpriseId)) byPerson.set(e.personId, [...(byPerson.get(e.personId) ?? []), e.type]);
  return { ok: true, value: [...byPerson].map(([person, types]) => ({ person, types })) };
}

export interface ExecutorChange extends ExecutorView {
  added: string[];
  removed: string[];
  /** The position of the last change recorded (unchanged when nothing changed). */
  registryCursor: number;
}

/** Makes `personId` execute exactly `types` for the enterprise (none: no longer an executor). */
export async function setExecutorTypes(
  app: AppContext,
  actorId: string,
  enterpriseId: string,
  personId: string,
  types: readonly string[],
): Promise<Parsed<ExecutorChange>> {
  if (!(await mayActAs(app, actorId, { kind: 'enterprise', id: enterpriseId }))) return notRepresentative();
  const wanted = executorTypes(app.catalogue, types);
  if (!wanted.ok) return wanted;
  const recorded = await app.store.registry.setExecutorTypes(
    enterpriseId,
    personId,
    wanted.types,
    `person:${actorId}`,
    app.now().toISOString(),
  );
  const changed = (change: 'added' | 'removed') => recorded.filter((c) => c.change === change).map((c) => c.type as string);
  return {
    ok: true,
    value: {
      person: personId,
      types: wanted.types,
      added: changed('added'),
      removed: changed('removed'),
      registryCursor: recorded.at(-1)?.seq ?? (await app.store.registry.head()),
    },
  };
}
