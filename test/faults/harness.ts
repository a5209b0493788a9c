/**
 * The fault suite's harness: real `gauntlet` child processes (optionally with a failpoint preloaded,
 * under a file-size limit, or as an unprivileged user), and independent checks of what a store
 * holds after a fault — written here from the store's documented shape, not taken from src/core.
 *
 * "Lost" and "duplicated" are counted, not just asserted, so a run of the whole suite can print
 * its totals (see tally.ts).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { ResearchEvent } from '../../src/core/research/events.ts';
import type { StoreData } from '../../src/core/store/schema.ts';
import { openStore } from '../../src/core/store/store.ts';
import { ROOT, STACK_FRAME, cli, inproc, readStoreFile, storeProblems } from '../research/helpers.ts';

export { ROOT, STACK_FRAME };

const FAILPOINT = join(ROOT, 'test', 'faults', 'failpoint.mjs');

/** How many kill -9 runs: `GAUNTLET_FAULT_RUNS` (200 in `npm run faults`), else the CI subset. */
export function faultRuns(ciDefault: number): number {
  const n = Number(process.env.GAUNTLET_FAULT_RUNS);
  return Number.isInteger(n) && n > 0 ? n : ciDefault;
}

/** True when `npm run faults` asked for the full suite. */
export const FULL = Number(process.env.GAUNTLET_FAULT_RUNS ?? 0) > 0;

export interface SpawnOptions {
  env: Record<string, string>;
  /** A failpoint for failpoint.mjs (`ledger@40`, `mid-write@3`, `count:FILE` …). */
  failpoint?: string;
  /** Run under `ulimit -f BLOCKS` (1024-byte blocks) with SIGXFSZ ignored, so writes fail with EFBIG. */
  fileSizeBlocks?: number;
  /** Run as this uid/gid (root only). */
  user?: { uid: number; gid: number };
  /** Keep stdin open (for `--approve ask`); by default it is closed at once. */
  keepStdin?: boolean;
  /** Checked on every complete stdout line, in the data handler: true → SIGKILL at once. */
  killWhen?: (event: ResearchEvent | null, line: string, index: number) => boolean;
}

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** Complete stdout lines only: a line cut by a kill is not something the process reported. */
  lines: string[];
}

export interface Child {
  proc: ChildProcess;
  pid: number;
  lines: string[];
  stderr(): string;
  /** Resolves when a complete stdout line matches, or when stderr matches; rejects if the child exits first. */
  waitLine(re: RegExp): Promise<string>;
  waitErr(re: RegExp): Promise<string>;
  kill(): void;
  exited: Promise<Exit>;
}

/** `node --import tsx [--import failpoint] src/cli.ts ARGS`, cwd = the repo, GAUNTLET_DB dropped from the environment. */
export function spawnGauntlet(args: string[], o: SpawnOptions): Child {
  const { GAUNTLET_DB: _db, ...base } = process.env;
  const env: Record<string, string | undefined> = { ...base, ...o.env };
  const node = [process.execPath, '--import', 'tsx', ...(o.failpoint === undefined ? [] : ['--import', FAILPOINT]), 'src/cli.ts', ...args];
  if (o.failpoint !== undefined) env.GAUNTLET_FAILPOINT = o.failpoint;
  // `trap "" XFSZ` makes the signal ignored, and ignored signals stay ignored across exec: writes then fail with EFBIG.
  const [cmd, ...argv] = o.fileSizeBlocks === undefined ? node : ['bash', '-c', `ulimit -f ${o.fileSizeBlocks}; trap "" XFSZ; exec "$@"`, '--', ...node];
  const proc = spawn(cmd!, argv, { cwd: ROOT, env, stdio: ['pipe', 'pipe', 'pipe'], ...(o.user === undefined ? {} : { uid: o.user.uid, gid: o.user.gid }) });
  let out = '';
  let err = '';
  let buf = '';
  let done = false;
  const lines: string[] = [];
  const waiters = new Set<() => void>();
  const poke = (): void => { for (const w of [...waiters]) w(); };
  proc.stdout!.setEncoding('utf8').on('data', (c: string) => {
    out += c;
    buf += c;
    let i: number;
    while ((i = buf.indexOf('\n')) >= 0) {
      const line = buf.slice(0, i);
      buf = buf.slice(i + 1);
      lines.push(line);
      if (o.killWhen !== undefined && proc.exitCode === null && o.killWhen(parseLine(line), line, lines.length - 1)) proc.kill('SIGKILL');
    }
    poke();
  });
  proc.stderr!.setEncoding('utf8').on('data', (c: string) => { err += c; poke(); });
  proc.stdin!.on('error', () => undefined);
  if (o.keepStdin !== true) proc.stdin!.end();
  const exited = new Promise<Exit>((resolve) => {
    proc.on('close', (code, signal) => { done = true; poke(); resolve({ code, signal, stdout: out, stderr: err, lines: [...lines] }); });
  });
  const waitFor = (probe: () => string | undefined, what: string): Promise<string> => new Promise((resolve, reject) => {
    const check = (): void => {
      const hit = probe();
      if (hit !== undefined) { waiters.delete(check); resolve(hit); return; }
      if (done) { waiters.delete(check); reject(new Error(`child exited before ${what}; stdout:\n${out}\nstderr:\n${err}`)); }
    };
    waiters.add(check);
    check();
  });
  return {
    proc, pid: proc.pid!, lines, exited,
    stderr: () => err,
    waitLine: (re) => waitFor(() => lines.find((l) => re.test(l)), `a stdout line matching ${re}`),
    waitErr: (re) => waitFor(() => (re.test(err) ? err : undefined), `stderr matching ${re}`),
    kill: () => { if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGKILL'); },
  };
}

function parseLine(line: string): ResearchEvent | null {
  try {
    return JSON.parse(line) as ResearchEvent;
  } catch {
    return null;
  }
}

/** The events a process reported on complete stdout lines (a line that is not JSON is reported as a problem). */
export function reported(exit: Pick<Exit, 'lines'>): { events: ResearchEvent[]; problems: string[] } {
  const events: ResearchEvent[] = [];
  const problems: string[] = [];
  exit.lines.forEach((l, i) => {
    if (l === '') return;
    const e = parseLine(l);
    if (e === null) problems.push(`stdout line ${i + 1} is not JSON: ${l.slice(0, 120)}`);
    else events.push(e);
  });
  return { events, problems };
}

// ---- independent checks ----------------------------------------------------------------------------

/** Canonical JSON written here (sorted keys, no whitespace), to re-hash ledger entries without src's helper. */
function canonical(v: unknown): string {
  if (v === null || typeof v !== 'object') return JSON.stringify(v);
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  const keys = Object.keys(v).sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonical((v as Record<string, unknown>)[k])}`).join(',')}}`;
}

const sha = (s: string | Buffer): string => createHash('sha256').update(s).digest('hex');

const COLLECTIONS = ['specs', 'proposals', 'decisions', 'runs', 'gates', 'reviews', 'transcripts', 'library', 'sessions'] as const;

export interface Findings {
  /** Broken promises other than loss and duplication: chain, approvals, readability. */
  problems: string[];
  lost: string[];
  duplicated: string[];
}

export const noFindings = (): Findings => ({ problems: [], lost: [], duplicated: [] });

/**
 * Duplicates and the hash chain, from the raw JSON: seq unique and equal to the position, every
 * hash recomputed and linked, hashes unique, record ids unique per collection, one spend and one
 * decision per proposal.
 */
export function chainAndDuplicates(data: StoreData, f: Findings): void {
  const seqs = new Set<number>();
  const hashes = new Set<string>();
  let prev = '0'.repeat(64);
  data.ledger.forEach((e, i) => {
    if (seqs.has(e.seq)) f.duplicated.push(`ledger seq ${e.seq} appears twice`);
    seqs.add(e.seq);
    if (hashes.has(e.hash)) f.duplicated.push(`ledger hash ${e.hash.slice(0, 12)} appears twice`);
    hashes.add(e.hash);
    if (e.seq !== i) f.problems.push(`ledger position ${i} holds seq ${e.seq}`);
    if (e.prev !== prev) f.problems.push(`ledger #${e.seq}: prev does not link to the entry before`);
    const { hash, ...body } = e;
    if (sha(canonical(body)) !== hash) f.problems.push(`ledger #${e.seq}: hash does not match its content`);
    prev = e.hash;
  });
  for (const c of COLLECTIONS) {
    const ids = new Set<string>();
    for (const r of (data[c] ?? []) as Array<{ id: string }>) {
      if (ids.has(r.id)) f.duplicated.push(`${c}: id ${r.id} appears twice`);
      ids.add(r.id);
    }
  }
  const spendFor = new Set<string>();
  for (const e of data.ledger) {
    if (e.kind !== 'spend' || e.proposal_id === undefined) continue;
    if (spendFor.has(e.proposal_id)) f.duplicated.push(`two spends for proposal ${e.proposal_id}`);
    spendFor.add(e.proposal_id);
  }
  const decided = new Set<string>();
  for (const d of data.decisions) {
    if (decided.has(d.proposal_id)) f.duplicated.push(`two decisions for proposal ${d.proposal_id}`);
    decided.add(d.proposal_id);
  }
}

/**
 * Nothing a process reported is missing: every `spend` event's entry at its seq (same session,
 * action, cost, balance, with its decision), every `run`, `gate` and `review` event as the
 * session's next record of that kind, every `spec_version`'s spec, at least as many trial entries
 * as `trials` events counted, and the final status and summary as the store has them.
 */
export function reportedAreStored(events: ResearchEvent[], data: StoreData | null, f: Findings, label = ''): number {
  const session = events.find((e): e is Extract<ResearchEvent, { event: 'session' }> => e.event === 'session')?.session;
  let checked = 0;
  const miss = (what: string): void => { f.lost.push(`${label}${what}`); };
  if (session === undefined) return 0;
  const mine = <T extends { session: string | null }>(xs: readonly T[]): T[] => xs.filter((x) => x.session === session);
  const runs = data === null ? [] : mine(data.runs);
  const gates = data === null ? [] : mine(data.gates);
  const reviews = data === null ? [] : mine(data.reviews);
  let nRun = 0;
  let nGate = 0;
  let nReview = 0;
  let trials = 0;
  for (const e of events) {
    switch (e.event) {
      case 'spend': {
        checked++;
        const s = data?.ledger[e.seq];
        if (s === undefined || s.kind !== 'spend' || s.session !== session || s.action !== e.action || s.cost !== e.cost || s.balance !== e.balance) {
          miss(`spend #${e.seq} (${e.action}, ${e.cost}) of ${session} is not in the ledger`);
        } else if (!data!.decisions.some((d) => d.ledger_seq === e.seq && d.decision === 'approved')) {
          miss(`spend #${e.seq} of ${session} has no approved decision record`);
        }
        break;
      }
      case 'run': {
        checked++;
        const r = runs[nRun++];
        const seg = (r?.summary as { segment?: unknown } | undefined)?.segment;
        if (r === undefined || r.symbols[0] !== e.key.symbol || r.interval !== e.key.interval || seg !== e.segment) miss(`run ${nRun} of ${session} (${e.key.symbol} ${e.key.interval} ${e.segment}) is not in the store`);
        break;
      }
      case 'gate': {
        checked++;
        const g = gates[nGate++];
        if (g === undefined || g.gate !== e.verdict.gate || (g.verdict === 'PASS') !== e.verdict.pass) miss(`gate ${nGate} of ${session} (${e.verdict.gate}) is not in the store`);
        break;
      }
      case 'review': {
        checked++;
        const r = reviews[nReview++];
        if (r === undefined || (r.payload as { diagnosis?: unknown }).diagnosis !== e.diagnosis) miss(`review ${nReview} of ${session} is not in the store`);
        break;
      }
      case 'spec_version':
        checked++;
        if (!data?.specs.some((s) => s.id === e.spec_id)) miss(`spec version ${e.spec_id.slice(0, 12)} is not in the store`);
        break;
      case 'trials':
        trials += e.count;
        break;
      case 'summary': {
        checked++;
        const led = data === null ? [] : data.ledger.filter((x) => x.session === session);
        const spent = led.filter((x) => x.kind === 'spend').reduce((a, x) => a + x.cost, 0);
        const status = data?.sessions.find((s) => s.id === session)?.status;
        // "ERROR" is the CLI saying the run failed (exit code in the line), not a status the store holds,
        // and its counters are the CLI's tally of the events it saw: the credits it reports spent must
        // be in the store (every other event is checked on its own above).
        if ((e.status as string) === 'ERROR') { // the CLI's line, outside the loop's event type
          if (spent !== e.credits_spent) miss(`the error summary of ${session} reports ${e.credits_spent} credits spent, the store ${spent}`);
          break;
        }
        if (status !== e.status || spent !== e.credits_spent || led.filter((x) => x.kind === 'trial').length !== e.trials || runs.length !== e.runs) {
          miss(`the summary of ${session} (${e.status}, ${e.credits_spent} credits, ${e.trials} trials, ${e.runs} runs) does not match the store`);
        }
        break;
      }
      default:
        break;
    }
  }
  if (trials > 0) {
    checked++;
    const stored = data === null ? 0 : data.ledger.filter((x) => x.session === session && x.kind === 'trial').length;
    if (stored < trials) miss(`${session} reported ${trials} optimiser trials, the ledger has ${stored} trial entries`);
  }
  return checked;
}

/** Everything `before` held is still there, unchanged, in `after`: ledger entries by seq and hash, records by id. */
export function nothingDropped(before: StoreData | null, after: StoreData | null, f: Findings, label = ''): void {
  if (before === null) return;
  if (after === null) { f.lost.push(`${label}the whole store disappeared`); return; }
  for (const e of before.ledger) {
    if (after.ledger[e.seq]?.hash !== e.hash) f.lost.push(`${label}ledger #${e.seq} changed or vanished`);
  }
  for (const c of COLLECTIONS) {
    const ids = new Set(((after[c] ?? []) as Array<{ id: string }>).map((r) => r.id));
    for (const r of (before[c] ?? []) as Array<{ id: string }>) if (!ids.has(r.id)) f.lost.push(`${label}${c} ${r.id} vanished`);
  }
}

/**
 * A store at rest after a fault: readable as JSON, `gauntlet ledger --verify` exit 0 (in-process, or
 * as a child), consistent approvals (every spend has its proposal and approved decision), no
 * duplicates, a sound chain, and it opens through the store code read-only (every artifact a run
 * names present and intact) and, unless `writable: false`, writable (dead lock taken over, temp
 * files swept, ledger head checked). Returns the raw data.
 */
export async function checkAtRest(db: string, env: Record<string, string>, f: Findings, o: { child?: boolean; label?: string; writable?: boolean } = {}): Promise<StoreData | null> {
  const label = o.label ?? '';
  let raw: StoreData | null;
  try {
    raw = readStoreFile(db);
  } catch (e) {
    f.problems.push(`${label}store.json is not JSON: ${String(e)}`);
    return null;
  }
  const args = ['ledger', '--db', db, '--verify', '--json'];
  const v = o.child === true ? await cli(args, env) : await inproc(args, env);
  if (v.code !== 0) f.problems.push(`${label}ledger --verify exit ${v.code}: ${v.stderr.trim()}`);
  else if ((JSON.parse(v.stdout) as { verify?: { ok?: boolean } }).verify?.ok !== true) f.problems.push(`${label}ledger --verify did not say ok`);
  if (STACK_FRAME.test(v.stderr)) f.problems.push(`${label}ledger --verify printed a stack trace`);
  if (raw !== null) {
    f.problems.push(...storeProblems(raw).map((p) => `${label}${p}`));
    chainAndDuplicates(raw, f);
  }
  const why = (e: unknown): string => (e instanceof Error ? e.message : String(e));
  try {
    const ro = await openStore(db, { readonly: true });
    for (const run of ro.list('runs')) {
      for (const ref of Object.values(run.artifacts)) {
        if (ref === undefined) continue;
        try {
          if (ref.format === 'f64') await ro.readF64Artifact(ref.hash);
          else await ro.readJsonArtifact(ref.hash);
        } catch (e) {
          f.problems.push(`${label}run ${run.id}: an artifact does not read back: ${why(e)}`);
        }
      }
    }
    await ro.close();
    if (o.writable !== false) await (await openStore(db)).close();
  } catch (e) {
    f.problems.push(`${label}the store does not open: ${why(e)}`);
  }
  return raw;
}

/** sha256 of every file under `dir` (relative path → digest): "untouched" means this map is unchanged. */
export function fingerprint(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  if (!existsSync(dir)) return out;
  for (const name of readdirSync(dir, { recursive: true, encoding: 'utf8' }).sort()) {
    const p = join(dir, name);
    if (statSync(p).isFile()) out[relative(dir, p)] = sha(readFileSync(p));
  }
  return out;
}

/** Temp files (`*.tmp`) left anywhere under `dir`. */
export const tempFiles = (dir: string): string[] =>
  existsSync(dir) ? readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((n) => n.endsWith('.tmp')) : [];

/** A clear refusal: the exit code, a message on stderr that names `names`, and never a stack trace or "internal error". */
export function refusalProblems(exit: Pick<Exit, 'code' | 'stderr'>, code: number, names: string[]): string[] {
  const out: string[] = [];
  if (exit.code !== code) out.push(`exit ${exit.code}, expected ${code}: ${exit.stderr.trim().slice(0, 400)}`);
  if (STACK_FRAME.test(exit.stderr)) out.push(`a stack trace on stderr:\n${exit.stderr}`);
  if (/internal error/.test(exit.stderr)) out.push(`"internal error" on stderr: ${exit.stderr.trim()}`);
  for (const n of names) if (!exit.stderr.includes(n)) out.push(`stderr does not name ${n}: ${exit.stderr.trim().slice(0, 400)}`);
  return out;
}
