// SSM's check engine against SpiceDB embedded, in one process, on the same data and the same checks.
// Each answer of either is compared with the rule's; a single disagreement stops the run.
import { CheckEngine, MandateIndex } from '../../src/index.js';
import { catalogue, generate, isActiveAt, NOW } from '../lib/dataset.js';
import { checksFor, ruleAllows } from './checks.js';
import { startSpiceDb } from './spicedb.js';

const QUERIES = 65_536;
/** SSM answers in well under a microsecond, below the timer's resolution: it is timed per slice. */
const SLICE = 1000;
/** SSM's minimum time per round; SpiceDB's is an option, as it is four orders of magnitude slower. */
const SSM_BUDGET_MS = 150;

export interface InProcessResult {
  n: number;
  /** Relations in force written to SpiceDB, and how long that took. */
  relations: number;
  writeS: number;
  ssm: { rates: number[]; latencyNs: number[] };
  spicedb: { rates: number[]; latencyNs: number[] };
  /** SSM checks/s ÷ SpiceDB checks/s, per round. */
  ratios: number[];
  /** Answers compared with the rule's, warm-up included. */
  compared: { ssm: number; spicedb: number };
}

export async function compareInProcess(spicedbEntry: string, n: number, rounds: number, spicedbMs: number): Promise<InProcessResult> {
  const data = generate(n);
  // The engine as an embedding application holds it, filled in memory (the in-process bench times the build from a store).
  const index = new MandateIndex();
  for (const m of data) index.apply(m);
  const engine = new CheckEngine({ catalogue, index, now: () => NOW });
  const checks = checksFor(data, QUERIES, NOW);
  const expected = checks.map((check) => ruleAllows(check, isActiveAt));
  const spicedb = await startSpiceDb(spicedbEntry, data, (m) => isActiveAt(m, NOW));
  const disagree = (name: string, i: number) =>
    new Error(`${name} answered check ${i} unlike the rule: ${JSON.stringify(checks[i]?.query)}`);

  const result: InProcessResult = {
    n,
    relations: spicedb.relations,
    writeS: spicedb.writeS,
    ssm: { rates: [], latencyNs: [] },
    spicedb: { rates: [], latencyNs: [] },
    ratios: [],
    compared: { ssm: 0, spicedb: 0 },
  };
  /** One pass over every check in timed slices; returns the time taken in ns. */
  const ssmPass = (record: boolean) => {
    let total = 0;
    for (let from = 0; from < QUERIES; from += SLICE) {
      const to = Math.min(QUERIES, from + SLICE);
      const started = process.hrtime.bigint();
      for (let i = from; i < to; i++) if (engine.check(checks[i]!.query).allowed !== expected[i]) throw disagree('SSM', i);
      const ns = Number(process.hrtime.bigint() - started);
      total += ns;
      if (record) result.ssm.latencyNs.push(ns / (to - from));
    }
    result.compared.ssm += QUERIES;
    return total;
  };
  const ssmRound = () => {
    let ns = 0;
    let answered = 0;
    do {
      ns += ssmPass(true);
      answered += QUERIES;
    } while (ns < SSM_BUDGET_MS * 1e6);
    return answered / (ns / 1e9);
  };
  // SpiceDB goes on through the checks from round to round, so none is asked twice (its cache would answer).
  const spicedbRound = async (ms: number, record: boolean) => {
    const started = performance.now();
    let answered = 0;
    while (performance.now() - started < ms) {
      const i = result.compared.spicedb++ % QUERIES;
      const t = process.hrtime.bigint();
      if ((await spicedb.check(checks[i]!.query)) !== expected[i]) throw disagree('SpiceDB', i);
      if (record) result.spicedb.latencyNs.push(Number(process.hrtime.bigint() - t));
      answered++;
    }
    return answered / ((performance.now() - started) / 1000);
  };

  try {
    for (let i = 0; i < 3; i++) ssmPass(false);
    await spicedbRound(Math.min(500, spicedbMs), false);
    for (let round = 0; round < rounds; round++) {
      // Alternate who goes first, so neither always runs on the warmer (or the busier) machine.
      const ssmFirst = round % 2 === 0;
      const ssm = ssmFirst ? ssmRound() : 0;
      const spice = await spicedbRound(spicedbMs, true);
      const ssmRate = ssmFirst ? ssm : ssmRound();
      result.ssm.rates.push(ssmRate);
      result.spicedb.rates.push(spice);
      result.ratios.push(ssmRate / spice);
      process.stderr.write(`  ${n} in process, round ${round + 1}/${rounds}: SSM ${ssmRate.toFixed(0)}/s, SpiceDB ${spice.toFixed(0)}/s\n`);
    }
    return result;
  } finally {
    spicedb.close();
  }
}
