// SpiceDB embedded (in process, through its FFI): the mandate relation as a Zanzibar schema, loaded
// with the relations in force, asked with CheckPermission as an application would.
import { pathToFileURL } from 'node:url';
import { type Party, partyKey } from '../../src/core/party.js';
import type { CheckQuery } from '../../src/index.js';
import type { BenchMandate } from '../lib/dataset.js';

// The parts of the package used here, typed narrowly (it is not a dependency of the project).
/** A protobuf-ts message type: `create` fills in the defaults of a partial message. */
interface MessageType {
  create(value: object): object;
}
interface PermissionsClient {
  promises: {
    writeRelationships(request: object): Promise<{ writtenAt?: object }>;
    checkPermission(request: object): Promise<{ permissionship: number }>;
  };
}
interface EmbeddedInstance {
  permissions(): PermissionsClient;
  close(): void;
}
interface SpiceDbModule {
  EmbeddedSpiceDB: { start(schema: string): Promise<EmbeddedInstance> };
  v1: Record<
    | 'ObjectReference'
    | 'SubjectReference'
    | 'Relationship'
    | 'RelationshipUpdate'
    | 'WriteRelationshipsRequest'
    | 'CheckPermissionRequest'
    | 'Consistency',
    MessageType
  > & {
    RelationshipUpdate_Operation: { TOUCH: number };
    CheckPermissionResponse_Permissionship: { HAS_PERMISSION: number };
  };
}

// One object per mandator and mandate type; its mandatees may act for that mandator in that type.
// Validity periods are left out: SpiceDB would need a caveat per relation and the caller's clock,
// so it holds only the relations in force at the instant the checks ask about.
const SCHEMA = `
definition person {}

definition enterprise {}

definition representation {
  relation mandatee: person | enterprise
  permission act = mandatee
}
`;

/** Object ids allow letters, digits and / _ | - = +: the type's dots become slashes. */
const representationId = (mandator: Party, type: string) => `${partyKey(mandator)}/${type.replaceAll('.', '/')}`;

/** WriteRelationships takes at most 1,000 updates per request by default. */
const WRITE_BATCH = 1000;

export interface SpiceDbContender {
  /** Relations written, and how long writing them took. */
  relations: number;
  writeS: number;
  check(query: CheckQuery): Promise<boolean>;
  close(): void;
}

export async function startSpiceDb(
  entry: string,
  data: readonly BenchMandate[],
  inForce: (m: BenchMandate) => boolean,
): Promise<SpiceDbContender> {
  const { EmbeddedSpiceDB, v1 } = (await import(pathToFileURL(entry).href)) as SpiceDbModule;
  const db = await EmbeddedSpiceDB.start(SCHEMA);
  const permissions = db.permissions().promises;
  const object = (objectType: string, objectId: string) => v1.ObjectReference.create({ objectType, objectId });
  const subject = (party: Party) => v1.SubjectReference.create({ object: object(party.kind, party.id) });

  const relations = data.filter(inForce);
  const started = performance.now();
  let writtenAt: object | undefined;
  for (let from = 0; from < relations.length; from += WRITE_BATCH) {
    const updates = relations.slice(from, from + WRITE_BATCH).map((m) =>
      v1.RelationshipUpdate.create({
        operation: v1.RelationshipUpdate_Operation.TOUCH,
        relationship: v1.Relationship.create({
          resource: object('representation', representationId(m.mandator, m.type)),
          relation: 'mandatee',
          subject: subject(m.mandatee),
        }),
      }),
    );
    ({ writtenAt } = await permissions.writeRelationships(v1.WriteRelationshipsRequest.create({ updates })));
  }
  const writeS = (performance.now() - started) / 1000;
  if (!writtenAt) throw new Error('no relation in force to write');

  // At least as fresh as the last write: the default (minimize latency) may read a revision from before it.
  const consistency = v1.Consistency.create({ requirement: { oneofKind: 'atLeastAsFresh', atLeastAsFresh: writtenAt } });
  const allowed = v1.CheckPermissionResponse_Permissionship.HAS_PERMISSION;
  return {
    relations: relations.length,
    writeS,
    async check(query) {
      const response = await permissions.checkPermission(
        v1.CheckPermissionRequest.create({
          consistency,
          resource: object('representation', representationId(query.mandator, query.type)),
          permission: 'act',
          subject: subject(query.mandatee),
        }),
      );
      return response.permissionship === allowed;
    },
    close: () => db.close(),
  };
}
