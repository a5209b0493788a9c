/**
 * `npm run integrity`: the integrity benchmark. Does noise die, and do real edges survive?
 *
 *   npm run integrity [-- --quick] [--seed S] [--budget N] [--jobs J] [--out FILE] [--gates FILE]
 *                        [--no-real] [--no-calibration] [--work DIR] [--keep]
 *
 * Prints one JSON object on stdout (progress on stderr) and writes the Markdown report to
 * bench/INTEGRITY.md (atomically, keeping the hand-written text outside the generated block;
 * `--out FILE` elsewhere). `--quick` runs a CI-sized subset, and `--gates FILE` judges with another
 * gate config (a what-if: the JSON output names its hash; the defaults are untouched); neither
 * writes Markdown unless `--out` is given. The suite, the pairing rule and every definition live in
 * integrity-suite.ts and integrity-score.ts. The same seed gives the same numbers (timings aside).
 */
import { fork, type ChildProcess } from 'node:child_process';
import { accessSync, constants, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { DEFAULT_VERSIONED_CONFIG, versionedGateConfig, type VersionedGateConfig } from '../src/core/gates/config.ts';
import { ROOT, runMarket, runRealData, suiteSpec, type RealRow, type RunOptions, type RunRow } from './integrity-run.ts';
import { score, type Score } from './integrity-score.ts';
import {
  CANDIDATE_SPECS, QUICK_SPEC_IDS, SUITE_SPECS, calibrationMarkets, quickMarkets, standardMarkets, type MarketDef, type SpecDef,
} from './integrity-suite.ts';
import { writeReport } from './integrity-report.ts';

export interface IntegrityOptions {
  quick: boolean;
  seed: number;
  budget: number;
  /** Child processes to spread markets over (1: all in this process). */
  jobs: number;
  /** Run the example specs on the bundled real data too. */
  real: boolean;
  /** Rerun the spec calibration (full suite only). */
  calibration: boolean;
  /** A gate config file to judge with instead of the defaults (what-if). */
  gatesFile?: string;
  /** Scratch directory (default: tmpfs when there is one, else the OS temp dir). */
  work?: string;
  keep?: boolean;
  progress?: (line: string) => void;
}

export interface CalibrationLine {
  spec: string;
  style: string;
  /** Calibration markets of a kind this spec matches, and those it was promoted on. */
  matching_markets: string[];
  promoted_on: string[];
  outcomes: Record<string, string>;
}

export interface IntegrityResult extends Score {
  suite: 'standard' | 'quick';
  seed: number;
  budget: number;
  gate_config: string;
  gate_config_is_default: boolean;
  /** The gate config version its verdicts name. */
  gate_version: string;
  markets: MarketDef[];
  specs: Array<SpecDef & { style: string }>;
  rows: RunRow[];
  calibration: { markets: MarketDef[]; specs: CalibrationLine[]; rows: RunRow[] } | null;
  real_data: RealRow[];
  timing: { wall_ms: number; jobs: number };
}

type Part = 'suite' | 'calibration';
interface Task { part: Part; market: string }

export function suiteFor(quick: boolean, seed: number): { markets: MarketDef[]; specs: SpecDef[] } {
  return quick
    ? { markets: quickMarkets(seed), specs: SUITE_SPECS.filter((s) => QUICK_SPEC_IDS.includes(s.id)) }
    : { markets: standardMarkets(seed), specs: [...SUITE_SPECS] };
}

function partOf(part: Part, quick: boolean, seed: number): { markets: MarketDef[]; specs: readonly SpecDef[] } {
  return part === 'calibration' ? { markets: calibrationMarkets(seed), specs: CANDIDATE_SPECS } : suiteFor(quick, seed);
}

function loadGates(file: string | undefined): VersionedGateConfig | undefined {
  if (file === undefined) return undefined;
  return versionedGateConfig(JSON.parse(readFileSync(resolve(file), 'utf8')) as unknown, file);
}

/** Runs the suite (and the calibration), markets spread over `jobs` child processes when > 1, and scores it. */
export async function runIntegrity(o: IntegrityOptions): Promise<IntegrityResult> {
  const started = performance.now();
  const gates = loadGates(o.gatesFile);
  const { markets, specs } = suiteFor(o.quick, o.seed);
  const calib = !o.quick && o.calibration ? calibrationMarkets(o.seed) : [];
  const tasks: Task[] = [...markets.map((m) => ({ part: 'suite' as const, market: m.id })), ...calib.map((m) => ({ part: 'calibration' as const, market: m.id }))];
  const work = mkdtempSync(join(o.work ?? scratchRoot(), 'gauntlet-integrity-'));
  const ro: RunOptions = { seed: o.seed, budget: o.budget, workDir: work, keep: o.keep ?? false, ...(gates === undefined ? {} : { gates }), ...(o.progress ? { progress: o.progress } : {}) };
  try {
    const done = o.jobs > 1 && tasks.length > 1 ? await inChildren(tasks, o) : await inProcess(tasks, o.quick, ro);
    const rows = ordered(done.suite, markets, specs);
    const real = o.real ? await runRealData(realSpecs(o.quick), ro) : [];
    const config = gates ?? DEFAULT_VERSIONED_CONFIG;
    return {
      suite: o.quick ? 'quick' : 'standard', seed: o.seed, budget: o.budget,
      gate_config: config.hash, gate_version: config.version, gate_config_is_default: config.hash === DEFAULT_VERSIONED_CONFIG.hash,
      ...score(rows),
      markets, specs: specs.map((s) => ({ ...s, style: suiteSpec(s).meta.style })), rows,
      calibration: calib.length === 0 ? null : calibrationSummary(calib, ordered(done.calibration, calib, CANDIDATE_SPECS)),
      real_data: real,
      timing: { wall_ms: Math.round(performance.now() - started), jobs: o.jobs },
    };
  } finally {
    if (o.keep !== true) rmSync(work, { recursive: true, force: true });
  }
}

/** Rows in suite order whatever finished first, so the output is deterministic. */
function ordered(rows: RunRow[], markets: readonly MarketDef[], specs: readonly SpecDef[]): RunRow[] {
  const m = new Map(markets.map((x, i) => [x.id, i]));
  const s = new Map(specs.map((x, i) => [x.id, i]));
  return [...rows].sort((a, b) => m.get(a.market)! - m.get(b.market)! || s.get(a.spec)! - s.get(b.spec)!);
}

function calibrationSummary(markets: MarketDef[], rows: RunRow[]): NonNullable<IntegrityResult['calibration']> {
  const specs = CANDIDATE_SPECS.map((def): CalibrationLine => {
    const mine = rows.filter((r) => r.spec === def.id);
    return {
      spec: def.id, style: mine[0]?.style ?? suiteSpec(def).meta.style,
      matching_markets: mine.filter((r) => r.matching).map((r) => r.market),
      promoted_on: mine.filter((r) => r.true_promotion).map((r) => r.market),
      outcomes: Object.fromEntries(mine.filter((r) => r.matching).map((r) => [r.market, r.outcome])),
    };
  });
  return { markets, specs, rows };
}

async function inProcess(tasks: readonly Task[], quick: boolean, o: RunOptions): Promise<Record<Part, RunRow[]>> {
  const out: Record<Part, RunRow[]> = { suite: [], calibration: [] };
  for (const t of tasks) out[t.part].push(...await runTask(t, quick, o));
  return out;
}

async function runTask(t: Task, quick: boolean, o: RunOptions): Promise<RunRow[]> {
  const { markets, specs } = partOf(t.part, quick, o.seed);
  const m = markets.find((x) => x.id === t.market);
  if (m === undefined) throw new Error(`integrity: no ${t.part} market "${t.market}"`);
  return await runMarket(m, specs, o);
}

/** The example specs as shipped, then the suite's variants, for the bundled-data run. */
function realSpecs(quick: boolean): Array<{ id: string; idea: string }> {
  const shipped = readdirSync(join(ROOT, 'specs')).filter((f) => f.endsWith('.json')).sort()
    .map((f) => ({ id: f.replace(/\.json$/, ''), idea: readFileSync(join(ROOT, 'specs', f), 'utf8') }));
  const variants = SUITE_SPECS.map((s) => ({ id: `${s.id} (suite values)`, idea: JSON.stringify(suiteSpec(s)) }));
  return quick ? variants.slice(0, 1) : [...shipped, ...variants];
}

const SELF = fileURLToPath(import.meta.url);

/**
 * Every session writes its store with an fsync per transaction; on a shared VM disk that costs more
 * than the research itself, so scratch goes to tmpfs when there is one (nothing in it outlives the run).
 */
function scratchRoot(): string {
  try {
    accessSync('/dev/shm', constants.W_OK);
    return '/dev/shm';
  } catch {
    return tmpdir();
  }
}

/**
 * A queue of markets over `jobs` children (`--worker`): each child asks for the next market when it
 * has sent the rows of the last, so a slow market does not hold back a fixed share. A child runs the
 * same runMarket as this process would; only the process differs.
 */
async function inChildren(tasks: readonly Task[], o: IntegrityOptions): Promise<Record<Part, RunRow[]>> {
  const out: Record<Part, RunRow[]> = { suite: [], calibration: [] };
  const queue = [...tasks];
  const args = ['--worker', '--seed', String(o.seed), '--budget', String(o.budget), ...(o.quick ? ['--quick'] : []), ...(o.keep === true ? ['--keep'] : []),
    ...(o.work === undefined ? [] : ['--work', o.work]), ...(o.gatesFile === undefined ? [] : ['--gates', o.gatesFile])];
  const one = (): Promise<void> => new Promise((done, fail) => {
    const child: ChildProcess = fork(SELF, args, { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
    let current: Task | undefined;
    const next = (): void => {
      current = queue.shift();
      child.send(current ?? { end: true });
    };
    child.stderr!.setEncoding('utf8').on('data', (c: string) => { for (const l of c.split('\n')) if (l !== '') o.progress?.(l); });
    child.on('message', (rows: RunRow[]) => {
      out[current!.part].push(...rows);
      next();
    });
    child.on('error', fail);
    child.on('exit', (code) => {
      if (code === 0 && current === undefined) done();
      else fail(new Error(`integrity worker exited with code ${code}${current === undefined ? '' : ` on ${current.part} market ${current.market}`}`));
    });
    next();
  });
  await Promise.all(Array.from({ length: Math.min(o.jobs, tasks.length) }, one));
  return out;
}

/** `--worker`: run the markets the parent sends (`{end}`: done), sending back each market's rows. */
function worker(quick: boolean, o: RunOptions): void {
  process.on('message', (t: Task | { end: true }) => {
    if ('end' in t) {
      process.disconnect();
      return;
    }
    runTask(t, quick, o).then((rows) => process.send!(rows), (e: unknown) => {
      process.stderr.write(`${e instanceof Error ? e.stack ?? e.message : String(e)}\n`);
      process.exit(1);
    });
  });
}

async function main(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      quick: { type: 'boolean', default: false },
      json: { type: 'boolean', default: true },
      out: { type: 'string' },
      seed: { type: 'string', default: '1' },
      budget: { type: 'string', default: '1000' },
      jobs: { type: 'string' },
      gates: { type: 'string' },
      'no-real': { type: 'boolean', default: false },
      'no-calibration': { type: 'boolean', default: false },
      work: { type: 'string' },
      keep: { type: 'boolean', default: false },
      worker: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    process.stdout.write('Usage: npm run integrity [-- --quick] [--seed S] [--budget N] [--jobs J] [--out FILE] [--gates FILE] [--no-real] [--no-calibration] [--work DIR] [--keep]\n');
    return 0;
  }
  const seed = Number(values.seed);
  const budget = Number(values.budget);
  if (!Number.isInteger(seed) || seed < 0) { process.stderr.write(`--seed must be an integer ≥ 0, got "${values.seed}"\n`); return 2; }
  if (!Number.isInteger(budget) || budget < 1) { process.stderr.write(`--budget must be an integer ≥ 1, got "${values.budget}"\n`); return 2; }
  const progress = (line: string): void => { process.stderr.write(`${line}\n`); };

  if (values.worker) {
    const gates = loadGates(values.gates);
    const work = mkdtempSync(join(values.work ?? scratchRoot(), 'gauntlet-integrity-w-'));
    process.on('exit', () => { if (!values.keep) rmSync(work, { recursive: true, force: true }); });
    worker(values.quick, { seed, budget, workDir: work, keep: values.keep, progress, ...(gates === undefined ? {} : { gates }) });
    return 0;
  }

  const jobs = values.jobs === undefined ? Math.min(2, availableParallelism()) : Number(values.jobs);
  if (!Number.isInteger(jobs) || jobs < 1) { process.stderr.write(`--jobs must be an integer ≥ 1, got "${values.jobs}"\n`); return 2; }
  const result = await runIntegrity({
    quick: values.quick, seed, budget, jobs, real: !values['no-real'], calibration: !values['no-calibration'], keep: values.keep, progress,
    ...(values.work === undefined ? {} : { work: values.work }), ...(values.gates === undefined ? {} : { gatesFile: values.gates }),
  });
  // The report in the repo holds the standard suite under the default gates; quick and what-if runs write one only when asked (--out).
  const out = values.out ?? (values.quick || values.gates !== undefined ? undefined : join(ROOT, 'bench', 'INTEGRITY.md'));
  if (out !== undefined) {
    writeReport(resolve(out), result);
    progress(`wrote ${out}`);
  }
  process.stdout.write(`${JSON.stringify(result)}\n`);
  return 0;
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === SELF) {
  const code = await main(process.argv.slice(2));
  if (code !== 0) process.exitCode = code;
}
