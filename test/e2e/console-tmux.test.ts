/**
 * The console end to end in a real terminal: `gauntlet` in a 100×30 tmux pane, driven by keys as
 * a user drives it, against the fake Ollama server running as a process of its own
 * (test/support/fake-ollama-server.ts), and again with nothing listening at the Ollama host.
 * The idea is typed into the idea box; two proposals are approved, one vetoed, the strategy is
 * killed (the verdict), and `q` quits. Afterwards the store on disk holds exactly the approved
 * spends, priced from DESIGN §6's table, and the ledger verifies.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StoreData } from '../../src/core/store/schema.ts';
import { FAKE_MODEL, closedPortUrl } from '../support/fake-ollama.ts';
import { GOOD_DRAFT, PLAIN_IDEA } from '../support/fake-ollama-server.ts';
import { EDGE_IDEA, EDGE_MARKET, ROOT, STACK_FRAME, inproc, readStoreFile, storeProblems, workspace } from '../research/helpers.ts';
import { nextProposal, openConsole, shownVerdict, type ShownProposal } from './console-screen.ts';
import { tmuxAvailable, type Terminal } from './tmux.ts';

const HAVE_TMUX = tmuxAvailable();
const LABEL = `fake-model@${FAKE_MODEL.digest.slice(0, 12)}`;
const BUDGET = 1000;
/** DESIGN §6 prices, per unit (add_symbol per symbol), written out here rather than read from src. */
const PRICE: Record<string, number> = { initial_backtest: 10, add_symbol: 5, add_interval: 8, optimize: 20, walk_forward: 25, regime_expansion: 15, reoptimize: 30, constrain_universe: 0, kill: 0, promote: 0 };

const ws = workspace('e2e-tmux');
const market = join(ws.dir, 'edge');
let server: ChildProcess | null = null;
let fakeUrl = '';
const terminals: Terminal[] = [];

/** Starts the fake server script and resolves with the URL it prints. */
function startFakeServer(): Promise<string> {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, ['--import', 'tsx', 'test/support/fake-ollama-server.ts'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    server = proc;
    let out = '';
    let err = '';
    proc.stdout!.setEncoding('utf8').on('data', (c: string) => {
      out += c;
      const m = /^fake-ollama listening on (http:\/\/\S+)$/m.exec(out);
      if (m !== null) resolve(m[1]!);
    });
    proc.stderr!.setEncoding('utf8').on('data', (c: string) => { err += c; });
    proc.on('exit', (code) => reject(new Error(`the fake server exited (${code}) before printing its URL:\n${out}\n${err}`)));
  });
}

beforeAll(async () => {
  if (!HAVE_TMUX) return;
  const [synth, url] = await Promise.all([inproc(['data', 'synth', ...EDGE_MARKET, '--out', market], ws.env), startFakeServer()]);
  expect(synth.code, synth.stderr).toBe(0);
  fakeUrl = url;
}, 60_000);

afterAll(async () => {
  for (const t of terminals) await t.close();
  if (server !== null && server.exitCode === null) {
    const gone = new Promise((r) => server!.once('exit', r));
    server.kill('SIGTERM');
    await gone;
  }
  ws.cleanup();
});

/** Polls store.json (written atomically by the console) until `pred` holds for it. */
async function storeUntil(db: string, pred: (d: StoreData) => boolean, what: string, ms = 15_000): Promise<StoreData> {
  const t0 = Date.now();
  for (;;) {
    const d = readStoreFile(db);
    if (d !== null && pred(d)) return d;
    if (Date.now() - t0 > ms) throw new Error(`timed out waiting for the store to hold ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

interface Flow {
  start: string;
  /** The screen with the first proposal waiting: the Translator's pane is filled by then. */
  firstProposal: string;
  proposals: ShownProposal[];
  verdictScreen: string;
  status: number;
  data: StoreData;
}

/**
 * Start screen → Tab into the idea box → type the idea → Enter; approve, approve, veto; kill
 * (the verdict: KILLED); q. Each key waits for the screen (and the store) to show it is wanted.
 */
async function flow(db: string, idea: string, ollamaHost: string): Promise<Flow> {
  const term = await openConsole({
    args: ['--db', db, '--universe', market, '--model', 'fake-model', '--budget', String(BUDGET)],
    env: { OLLAMA_HOST: ollamaHost, GAUNTLET_CACHE: ws.cache },
  });
  terminals.push(term);
  expect(await term.size()).toEqual({ columns: 100, rows: 30 });

  // The start screen draws before the Ollama probe answers ('connecting…' in the header until then).
  const start = await term.waitFor((s) => s.includes('Examples (') && !s.split('\n')[0]!.includes('connecting…'), 'the start screen, the probe answered', 30_000);
  await term.keys('Tab');
  await term.waitFor((s) => s.includes('[Esc] leave the box'), 'the idea box to take the keys');
  await term.type(idea);
  await term.waitFor((s) => s.includes(idea.slice(-30)), 'the typed idea in the box');
  await term.keys('Enter');

  const shown: ShownProposal[] = [];
  const screens: string[] = [];
  let decided = 0;
  const answer = async (key: string): Promise<void> => {
    const { proposal, screen } = await nextProposal(term, shown.at(-1) ?? null, 45_000);
    screens.push(screen);
    expect(proposal, `a proposal to answer with ${key}`).not.toBeNull();
    shown.push(proposal!);
    await term.keys(key);
    if (key === 'k') {
      // A kill asks first; y confirms.
      await term.waitFor((s) => s.includes('Kill the strategy?'), 'the kill confirmation');
      await term.keys('y');
    }
    decided += 1;
    await storeUntil(db, (d) => d.decisions.length === decided, `decision ${decided} (${key} on ${proposal!.action})`);
  };
  await answer('a');
  await answer('a');
  await answer('v');
  // The next proposal waits; `k`, confirmed, kills the strategy, which is the verdict.
  await answer('k');
  const verdictScreen = await term.waitFor((s) => shownVerdict(s) !== null && s.split('\n')[1]!.includes('■ ENDED'), 'the verdict, and ENDED in the header');
  await term.keys('q');
  const status = await term.exited(20_000);
  const data = readStoreFile(db)!;
  expect(data, 'store.json').not.toBeNull();
  expect(verdictScreen).not.toMatch(STACK_FRAME);
  return { start, firstProposal: screens[0]!, proposals: shown, verdictScreen, status, data };
}

/** What every run of the flow leaves in the store and on the screen, checked from store.json alone. */
async function checkLedger(db: string, f: Flow): Promise<void> {
  const { data, proposals } = f;
  expect(f.status, 'the console exit status after q').toBe(0);
  expect(data.sessions).toHaveLength(1);
  const session = data.sessions[0]!;
  expect(session.status).toBe('KILLED');
  expect(shownVerdict(f.verdictScreen)).toEqual({ status: 'KILLED', reason: session.reason });

  // Four decisions in the order taken: approved, approved, vetoed, killed, for the proposals the inbox showed.
  expect(data.decisions.map((d) => [d.decision, d.by])).toEqual([['approved', 'user'], ['approved', 'user'], ['vetoed', 'user'], ['killed', 'user']]);
  const record = (id: string) => data.proposals.find((p) => p.id === id)!;
  const decided = data.decisions.map((d) => record(d.proposal_id));
  expect(decided.map((p) => [p.action, p.cost])).toEqual(proposals.map((p) => [p.action, p.cost]));

  // Exactly the approved spends, each priced from the table (add_symbol per symbol named in the proposal).
  const unitPrice = (p: (typeof decided)[number]): number => {
    const symbols = (p.payload as { detail?: { symbols?: unknown[] } } | undefined)?.detail?.symbols;
    return PRICE[p.action]! * (p.action === 'add_symbol' ? symbols!.length : 1);
  };
  const spends = data.ledger.filter((e) => e.kind === 'spend');
  expect(spends.map((e) => [e.proposal_id, e.action, e.cost, e.approval?.by])).toEqual(
    decided.slice(0, 2).map((p) => [p.id, p.action, unitPrice(p), 'user']));
  expect(proposals[0]!.cost).toBe(PRICE.initial_backtest);
  for (const p of decided.slice(2)) expect(data.ledger.some((e) => e.proposal_id === p.id && e.kind === 'spend'), `a spend for ${p.action}`).toBe(false);
  expect(data.decisions.slice(2).map((d) => d.ledger_seq)).toEqual([null, null]);
  expect(storeProblems(data)).toEqual([]);

  // The balance: the grant less the two spends, in the ledger and in the header's budget bar.
  const spent = unitPrice(decided[0]!) + unitPrice(decided[1]!);
  expect(data.ledger.at(-1)!.balance).toBe(BUDGET - spent);
  expect(f.verdictScreen).toContain(`${BUDGET - spent}/${BUDGET} left · ${spent} spent`);

  const v = await inproc(['ledger', '--verify', '--db', db], ws.env);
  expect(v.code, v.stdout + v.stderr).toBe(0);
}

describe.skipIf(!HAVE_TMUX)('the console in a real terminal (tmux, 100×30)', () => {
  it('against the fake Ollama server: the model translates the typed idea; approve ×2, veto, kill, q; the store holds exactly the approved spends', async () => {
    const db = join(ws.dir, 'db-model');
    const f = await flow(db, PLAIN_IDEA, fakeUrl);
    // The header names the model and its digest.
    expect(f.start.split('\n')[0]).toMatch(new RegExp(`LLM ${LABEL.replace(/[.]/g, '\\.')}$`));
    expect(f.verdictScreen.split('\n')[0]).toContain(`LLM ${LABEL}`);
    // The Translator pane: the model's name for the strategy and its intent summary.
    expect(f.firstProposal).toContain('Spec rsi2-reversion v1');
    expect(f.firstProposal).toContain(GOOD_DRAFT.summary.slice(0, 30));
    await checkLedger(db, f);
    // Only the model could translate this idea: the translate record and a transcript say it did.
    const source = `ollama:${LABEL}`;
    const translate = f.data.ledger.find((e) => e.action === 'translate')!;
    expect(translate.payload).toMatchObject({ source, idea: PLAIN_IDEA, model: 'fake-model' });
    expect(f.data.transcripts.filter((t) => t.role === 'translator').map((t) => t.outcome)).toEqual(['ok']);
    expect(f.data.proposals.map((p) => p.source)).toEqual(f.data.proposals.map(() => source));
  }, 120_000);

  it('with Ollama down: the header says offline, the start screen says why, and the same flow completes on the rules', async () => {
    const db = join(ws.dir, 'db-down');
    const down = await closedPortUrl();
    const f = await flow(db, EDGE_IDEA, down);
    expect(f.start.split('\n')[0]).toMatch(/LLM offline — rules$/);
    expect(f.start).toContain(`LLM: Ollama is not running at ${down}: the session continues on the rules agents`);
    expect(f.verdictScreen.split('\n')[0]).toContain('LLM offline — rules');
    await checkLedger(db, f);
    const translate = f.data.ledger.find((e) => e.action === 'translate')!;
    expect(translate.payload).toMatchObject({ source: 'rules', idea: EDGE_IDEA });
    expect(f.data.transcripts).toEqual([]);
    expect(new Set(f.data.proposals.map((p) => p.source))).toEqual(new Set(['rules']));
  }, 120_000);

  it('the installed entry point (bin/gauntlet.js) opens the console from any directory, and q quits', async () => {
    const cwd = join(ws.dir, 'elsewhere');
    mkdirSync(cwd);
    const term = await openConsole({ entry: [join(ROOT, 'bin/gauntlet.js')], cwd, args: ['--offline'], env: { GAUNTLET_CACHE: ws.cache } });
    terminals.push(term);
    const start = await term.waitFor((s) => s.includes('Examples (') || /^gauntlet: /m.test(s), 'the start screen or an error', 30_000);
    expect(start).not.toMatch(/^gauntlet: /m);
    // The default store, relative to where it runs; no idea files there.
    // The bundled data declares survivorship bias, and the header says so.
    expect(start.split('\n')[0]).toBe('GAUNTLET  store ./.gauntlet  LLM offline — rules  data: survivorship-biased');
    expect(start).toContain('no .pine or .txt file under this directory');
    await term.keys('q');
    expect(await term.exited()).toBe(0);
  }, 60_000);
});

if (!HAVE_TMUX) {
  it.skip('needs tmux on PATH (not found here; .ci/run installs it): the console\'s real-terminal test did not run', () => undefined);
}
