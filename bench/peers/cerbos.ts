// Cerbos, the policy server, over HTTP: stateless, so the caller fetches the mandate first and sends
// it with each check as the resource's attributes; the policy then applies SSM's rule to them.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { addDays, brusselsMidnight } from '../../src/core/dates.js';
import { partyKey } from '../../src/core/party.js';
import type { BenchCheck } from './checks.js';
import { freePort, pinned, SERVER_CORE, startServer } from './processes.js';
import type { RunningServer } from './ssm-server.js';

export const CERBOS_PATH = '/api/check/resources';

// Validity is in Brussels days; the request carries the instants they begin and end, as SSM's engine compares.
const POLICY = `apiVersion: api.cerbos.dev/v1
resourcePolicy:
  version: default
  resource: mandate
  rules:
    - actions: ["act"]
      effect: EFFECT_ALLOW
      roles: ["*"]
      condition:
        match:
          all:
            of:
              - expr: request.resource.attr.mandatee == request.principal.id
              - expr: request.resource.attr.status == "signed"
              - expr: timestamp(request.resource.attr.validFrom) <= now()
              - expr: '!has(request.resource.attr.validUntil) || now() < timestamp(request.resource.attr.validUntil)'
`;

/**
 * Starts the server with the policy on a disk store in `dir`, HTTP and gRPC on free loopback ports, no telemetry.
 * At its default log level (info) it logs every request, twice; SSM is measured at warn, so the like-for-like run is at warn.
 */
export async function startCerbos(binary: string, dir: string, logLevel: 'info' | 'warn'): Promise<RunningServer> {
  const policies = join(dir, 'policies');
  mkdirSync(policies, { recursive: true });
  writeFileSync(join(policies, 'mandate.yaml'), POLICY);
  const [http, grpc] = [await freePort(), await freePort()];
  const config = join(dir, 'cerbos.yaml');
  writeFileSync(
    config,
    [
      'server:',
      `  httpListenAddr: "127.0.0.1:${http}"`,
      `  grpcListenAddr: "127.0.0.1:${grpc}"`,
      'storage:',
      '  driver: disk',
      '  disk:',
      `    directory: "${policies}"`,
      '    watchForChanges: false',
      'telemetry:',
      '  disabled: true',
      '',
    ].join('\n'),
  );
  const child = await startServer(pinned(SERVER_CORE, [binary, 'server', `--config=${config}`, `--log-level=${logLevel}`]), {
    cwd: dir,
    env: { CERBOS_NO_TELEMETRY: '1' },
    ready: new URL(`http://127.0.0.1:${http}/_cerbos/health`),
  });
  return { url: `http://127.0.0.1:${http}`, headers: {}, child };
}

/** The request a caller makes for a check: the named mandatee as principal, the mandate it fetched as the resource. */
export function cerbosRequest({ query, mandate }: BenchCheck) {
  const validUntil =
    mandate.validUntil === null ? {} : { validUntil: new Date(brusselsMidnight(addDays(mandate.validUntil, 1))).toISOString() };
  return {
    requestId: mandate.id,
    principal: { id: partyKey(query.mandatee), roles: ['user'] },
    resources: [
      {
        actions: ['act'],
        resource: {
          kind: 'mandate',
          id: mandate.id,
          attr: {
            mandatee: partyKey(mandate.mandatee),
            status: mandate.status,
            validFrom: new Date(brusselsMidnight(mandate.validFrom)).toISOString(),
            ...validUntil,
          },
        },
      },
    ],
  };
}

/** Asks once (outside the load) and reads the answer. */
export async function cerbosAllows(url: string, check: BenchCheck): Promise<boolean> {
  const response = await fetch(`${url}${CERBOS_PATH}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(cerbosRequest(check)),
  });
  const answer = (await response.json()) as { results?: { actions: Record<string, string> }[] };
  if (response.status !== 200) throw new Error(`Cerbos answered ${response.status}: ${JSON.stringify(answer)}`);
  return answer.results?.[0]?.actions.act === 'EFFECT_ALLOW';
}
