/**
 * Shared helpers for the end-to-end research tests: real child processes running the CLI, the
 * CLI's own `main` in-process (same code path, no process start-up), seeded randomness, and
 * independent checks of a store's contents. Nothing here mocks the store or the engine.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { main } from '../../src/cli.ts';
import { bufferIo } from '../../src/commands/io.ts';
import type { ResearchEvent } from '../../src/core/research/events.ts';
import type { StoreData } from '../../src/core/store/schema.ts';
import type { ApproverPort } from '../../src/core/research/ports.ts';
import { Budget } from '../../src/core/budget/budget.ts';
import { runResearch } from '../../src/core/research/loop.ts';
import { openStore } from '../../src/core/store/store.ts';
import { openUniverse } from '../../src/commands/data-source.ts';
import { researchDeps } from '../../src/commands/research-wiring.ts';
import { mulberry32 } from '../support/mulberry32.ts';
import { approveAllAndPromote } from '../../src/agents/rules/approvers.ts';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** A private temp directory (removed by `cleanup`), with its own data cache so tests never touch ./.gauntlet, and no Ollama. */
export function workspace(prefix: string): { dir: string; cache: string; env: Record<string, string>; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), `gauntlet-${prefix}-`));
  const cache = join(dir, 'cache');
  // A closed port for Ollama: a developer's running Ollama must not answer the tests' sessions
  // (tests that want a model point OLLAMA_HOST at the fake server).
  return { dir, cache, env: { GAUNTLET_CACHE: cache, OLLAMA_HOST: 'http://127.0.0.1:1' }, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** A running `gauntlet` child process (`node --import tsx src/cli.ts …`, cwd = the repo). */
export interface Child {
  proc: ChildProcess;
  pid: number;
  /** Resolves with the first stdout line matching `re` (lines already seen count); rejects if the child exits first. */
  line(re: RegExp): Promise<string>;
  /** Resolves when stderr contains `re`. */
  errText(re: RegExp): Promise<string>;
  exited: Promise<CliResult>;
}

export function startCli(args: string[], env: Record<string, string>): Child {
  // GAUNTLET_DB is dropped so a stray environment cannot point a test at a real store.
  const { GAUNTLET_DB: _db, ...base } = process.env;
  const proc = spawn(process.execPath, ['--import', 'tsx', 'src/cli.ts', ...args], { cwd: ROOT, env: { ...base, ...env }, stdio: ['pipe', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  let buf = '';
  const lines: string[] = [];
  const waiters: Array<() => void> = [];
  const poke = (): void => { for (const w of [...waiters]) w(); };
  const drop = (w: () => void): void => { const i = waiters.indexOf(w); if (i >= 0) waiters.splice(i, 1); };
  proc.stdout!.setEncoding('utf8').on('data', (c: string) => {
    out += c;
    buf += c;
    let i: number;
    while ((i = buf.indexOf('\n')) >= 0) {
      lines.push(buf.slice(0, i));
      buf = buf.slice(i + 1);
    }
    poke();
  });
  proc.stderr!.setEncoding('utf8').on('data', (c: string) => { err += c; poke(); });
  proc.stdin!.on('error', () => undefined);
  let done = false;
  const exited = new Promise<CliResult>((resolve) => {
    proc.on('close', (code, signal) => { done = true; poke(); resolve({ code, signal, stdout: out, stderr: err }); });
  });
  const waitFor = <T>(probe: () => T | undefined, what: string): Promise<T> => new Promise((resolve, reject) => {
    const check = (): void => {
      const hit = probe();
      if (hit !== undefined) { drop(check); resolve(hit); return; }
      if (done) { drop(check); reject(new Error(`child exited before ${what}; stdout:\n${out}\nstderr:\n${err}`)); }
    };
    waiters.push(check);
    check();
  });
  return {
    proc,
    pid: proc.pid!,
    exited,
    line: (re) => waitFor(() => lines.find((l) => re.test(l)), `a stdout line matching ${re}`),
    errText: (re) => waitFor(() => (re.test(err) ? err : undefined), `stderr matching ${re}`),
  };
}

/** Runs the CLI as a child process to the end. */
export function cli(args: string[], env: Record<string, string>): Promise<CliResult> {
  const c = startCli(args, env);
  c.proc.stdin!.end();
  return c.exited;
}

/** Runs the CLI's `main` in this process with buffered output: the same code path as `bin/gauntlet.js` after start-up. */
export async function inproc(args: string[], env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
  const io = bufferIo(env, ROOT);
  const code = await main(args, io);
  return { code, stdout: io.stdout(), stderr: io.stderr() };
}

/** NDJSON → events; throws naming the line that is not JSON. */
export function parseEvents(stdout: string): ResearchEvent[] {
  return stdout.split('\n').filter((l) => l !== '').map((l, i) => {
    try {
      return JSON.parse(l) as ResearchEvent;
    } catch {
      throw new Error(`stdout line ${i + 1} is not JSON: ${l}`);
    }
  });
}

export type Summary = Extract<ResearchEvent, { event: 'summary' }>;

export function summaryOf(events: ResearchEvent[]): Summary {
  const last = events.at(-1);
  if (last?.event !== 'summary') throw new Error(`the last event is not the summary: ${JSON.stringify(last)}`);
  return last;
}

/** The suite's seeded PRNG (independent of the code under test). */
export const prng = mulberry32;

/** store.json as plain JSON (no zod, no store code): what is really on disk. null when there is none. */
export function readStoreFile(dir: string): StoreData | null {
  const file = join(dir, 'store.json');
  if (!existsSync(file)) return null;
  return JSON.parse(readFileSync(file, 'utf8')) as StoreData;
}

/** A stack trace line (`    at fn (file:line:col)`): users must never see one. */
export const STACK_FRAME = /^\s+at .+[:(].*\d+:\d+\)?$/m;

/**
 * Independent cross-checks of a store's records (written here, not taken from src):
 * - ledger seq numbers unique and equal to their position;
 * - every spend has an approval and a proposal id, exactly one `approved` decision with
 *   ledger_seq = its seq and the same proposal id, and a proposal record with the same action and cost;
 * - every decision that names a ledger_seq points at such a spend.
 * Returns the problems found (empty when the store is consistent).
 */
export function storeProblems(data: StoreData): string[] {
  const out: string[] = [];
  const seqs = new Set<number>();
  data.ledger.forEach((e, i) => {
    if (seqs.has(e.seq)) out.push(`duplicate ledger seq ${e.seq}`);
    seqs.add(e.seq);
    if (e.seq !== i) out.push(`ledger entry at position ${i} has seq ${e.seq}`);
  });
  for (const e of data.ledger.filter((x) => x.kind === 'spend')) {
    if (e.approval?.decision !== 'approved') out.push(`spend #${e.seq} has no approval`);
    if (e.proposal_id === undefined) { out.push(`spend #${e.seq} has no proposal id`); continue; }
    const ds = data.decisions.filter((d) => d.ledger_seq === e.seq);
    if (ds.length !== 1) out.push(`spend #${e.seq} has ${ds.length} decision records with ledger_seq ${e.seq}`);
    for (const d of ds) {
      if (d.decision !== 'approved' || d.proposal_id !== e.proposal_id || d.session !== e.session) {
        out.push(`spend #${e.seq}: its decision ${d.id} is ${d.decision} for ${d.proposal_id} in ${d.session}`);
      }
    }
    const p = data.proposals.find((x) => x.id === e.proposal_id);
    if (p === undefined) out.push(`spend #${e.seq}: no proposal record ${e.proposal_id}`);
    else if (p.cost !== e.cost || p.action !== e.action) out.push(`spend #${e.seq}: proposal ${p.id} is ${p.action} for ${p.cost}, the spend ${e.action} for ${e.cost}`);
  }
  for (const d of data.decisions) {
    if (d.ledger_seq === null) continue;
    const e = data.ledger[d.ledger_seq];
    if (e?.kind !== 'spend' || e.proposal_id !== d.proposal_id) out.push(`decision ${d.id} names ledger #${d.ledger_seq}, which is not its spend`);
  }
  return out;
}

/** The spends of one session, summed from the ledger. */
export function spentIn(data: StoreData, session: string): number {
  return data.ledger.filter((e) => e.session === session && e.kind === 'spend').reduce((a, e) => a + e.cost, 0);
}

/**
 * A planted-edge market where the loop goes the whole way (starter set, deepen, regimes,
 * optimise, walk-forward, promotion): eight symbols of one sector, all carrying a strong
 * lag-1 mean reversion.
 */
// Five years of daily bars: the robustness gate needs its test part (the last 30 % of the visible 80 %,
// about 14 months here) to span 12 calendar months before it can judge (docs/gates.md).
export const EDGE_MARKET = ['--seed', '7', '--symbols', '8', '--sectors', '1', '--interval', '1d', '--days', '1260', '--edge', 'mean_reversion:SEC1:1'];
/** An idea with two optimisable params that trades that edge often enough to pass viability. */
export const EDGE_IDEA = 'param len = 2 in [2, 5]; param lo = 50 in [30, 60] step 5; buy when rsi($len) < $lo; sell when rsi($len) > 50';
/** A plain idea for the bundled stock data. */
export const STOCK_IDEA = 'buy when rsi(14) < 30; sell when rsi(14) > 70';

export const FINAL = ['DEAD', 'FROZEN', 'KILLED', 'PROMOTED'];

/**
 * An approver for tests that need an optimised version before the confirmation (a researcher who tunes
 * before confirming): it vetoes every promotion and interval move until an optimisation has been
 * approved, and approves everything else. The rules name a promotion by its spec version, so the veto
 * of the first version's promotion leaves the tuned version's open.
 */
export function tuneFirst(): ApproverPort & { optimized: () => boolean } {
  let tuned = false;
  return {
    optimized: () => tuned,
    decide: async (p) => {
      if (p.action === 'optimize') tuned = true;
      if (!tuned && (p.action === 'promote' || p.action === 'add_interval')) return { decision: 'veto', note: 'tune first' };
      // The tuned version's promotion is approved as a batch run approves it: pre-approved by --approve all+promote.
      return await approveAllAndPromote.decide(p);
    },
  };
}

/**
 * One research session in-process through the CLI's composition root (researchDeps: engine, rules
 * agents, gates, store, budget) with a given approver — what `gauntlet research --universe DIR` runs,
 * with a person's choices scripted by `approver`. Returns the events.
 */
export async function researchWith(idea: string, o: { env: Record<string, string>; universe: string; db: string; approver: ApproverPort; seed?: number }): Promise<ResearchEvent[]> {
  const io = bufferIo(o.env, ROOT);
  const store = await openStore(o.db);
  const deps = researchDeps({ universe: openUniverse(io, o.universe), store, approver: o.approver, seed: o.seed ?? 1, budget: new Budget({ credits: 1000 }), mode: 'auto', io, provenance: { universe: o.universe } });
  const events: ResearchEvent[] = [];
  try {
    for await (const e of runResearch(idea, deps)) events.push(e);
  } finally {
    await store.close();
  }
  return events;
}
