/**
 * `gauntlet` with no command: the interactive research console. This is its composition root: it
 * opens the store and the universe, resolves the agents, builds the console store and the effects
 * its actions ask for (start a session, abort, close; the browsers' reads), and draws the Ink app.
 */
import { closeSync, existsSync, openSync, readdirSync, readFileSync, readSync, statSync } from 'node:fs';
import { basename, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { UserError } from '../core/errors.ts';
import { Budget } from '../core/budget/budget.ts';
import type { ResearchEvent } from '../core/research/events.ts';
import { runResearch } from '../core/research/loop.ts';
import { SpecSchema } from '../core/spec/schema.ts';
import { openStore, type Store } from '../core/store/store.ts';
import { displayDir, resolveDbDir } from '../core/store/paths.ts';
import { seriesKeyText } from '../core/research/run.ts';
import type { Universe } from '../engine/data/universe.ts';
import { exportDossier, ledgerEntries, libraryRows, loadRunDetail, runRows, specRows, verifyStoreLedger } from '../ui/browsers/data.ts';
import { colorAllowed } from '../ui/components/equity-chart.tsx';
import { drive, errorText } from '../ui/driver.ts';
import { renderConsole, type RenderStreams } from '../ui/render.tsx';
import { inboxApprover } from '../ui/state/approver.ts';
import { createConsoleStore, type ConsoleStore } from '../ui/state/store.ts';
import type { IdeaChoice } from '../ui/state/types.ts';
import { resolveAgents, serverChoice, storeSink, type Agents } from './agents-wiring.ts';
import { SESSION_FLAGS, argsProblem, costFlags, negativeValues, requireNumber } from './args.ts';
import { scopeFlags, scopeProvenance } from './scope-flags.ts';
import type { ResearchScope } from '../core/research/scope.ts';
import { openUniverse } from './data-source.ts';
import type { Io } from './io.ts';
import { researchDeps } from './research-wiring.ts';
import { MAX_TEXT_BYTES, readInputText } from '../core/input-file.ts';

export const CONSOLE_HELP = `Usage: gauntlet [--idea FILE|TEXT | --spec FILE] [--budget N] [--auto-approve N] [--seed S]
                [--symbols A,B,…] [--sector NAME] [--interval I] [--fees BPS] [--slippage BPS]
                [--db DIR] [--universe DIR] [--ollama URL] [--model NAME] [--llm openai --base-url URL] [--offline]

Opens the research console (it needs a terminal). With no idea it offers the bundled examples, a
box for your own idea and the .pine / .txt files under the working directory. Every costed step
the Director proposes waits in the approval inbox: approve, veto, veto with a note, or kill.

  --idea FILE|TEXT   research this idea at once (a file is read; anything else is the idea)
  --spec FILE        research this spec file at once
  --budget N         credits per session (default 1000)
  --auto-approve N   approve proposals cheaper than N credits without asking (shown in the header)
  --seed S           seed for every random choice (default 1)
  --symbols A,B      research only these symbols; --sector NAME only this sector's;
  --interval I       only this interval (1m 5m 15m 1h 4h 1d)
  --fees BPS         fees per fill in basis points for every session, replacing the spec's
  --slippage BPS     slippage per fill likewise (an idea that states no costs gets its market's
                     defaults: docs/costs.md)
  --db DIR           the store (default ./.gauntlet, or $GAUNTLET_DB)
  --universe DIR     a directory of CSVs plus universe.json instead of the bundled data
  --ollama URL       the Ollama host (then $OLLAMA_HOST); --model NAME the model
  --llm openai       an OpenAI-compatible server at --base-url URL instead (docs/local-models.md)
  --offline          deterministic agents only; Ollama is never contacted

Keys: press ? in the console. q or Ctrl-C quits after the store is flushed.
Headless: gauntlet research IDEA; every command: gauntlet --help.
`;

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** Plain-language ideas the start screen offers besides the example specs and Pine scripts. */
export const TEXT_IDEAS: ReadonlyArray<{ label: string; text: string }> = [
  { label: 'rsi(14) oversold reversion', text: 'buy when rsi(14) < 30; sell when rsi(14) > 70' },
  { label: 'rsi(2) dips with a stop', text: 'buy when rsi(2) < 10; sell when rsi(2) > 70; stop 5%' },
  { label: 'tunable rsi reversion', text: 'param len = 14 in [2, 30] step 1; param lo = 30 in [10, 40] step 5; buy when rsi($len) < $lo; sell when rsi($len) > 70' },
  { label: 'bollinger band reversion', text: 'buy when close < bb(20, 2).lower; sell when close > bb(20, 2).middle' },
  { label: 'sma(10/50) crossover', text: 'buy when sma(10) crosses above sma(50); sell when sma(10) crosses below sma(50)' },
];

/** The first `bytes` of a file as text (an idea's first line, without reading a large file). */
function head(path: string, bytes = 400): string {
  const fd = openSync(path, 'r');
  try {
    const buf = Buffer.alloc(bytes);
    const n = readSync(fd, buf, 0, bytes, 0);
    return buf.subarray(0, n).toString('utf8');
  } finally {
    closeSync(fd);
  }
}

function pineAbout(text: string): string {
  return /strategy\(\s*"([^"]*)"/.exec(text)?.[1] ?? text.split('\n').find((l) => l.trim() !== '' && !l.startsWith('//@'))?.trim() ?? '';
}

/** The start screen's examples: the bundled spec files, the translatable Pine fixtures, and a few plain ideas. */
export function exampleIdeas(root = ROOT): IdeaChoice[] {
  const out: IdeaChoice[] = TEXT_IDEAS.map((t) => ({ label: t.label, kind: 'text', text: t.text, about: t.text }));
  const specs = join(root, 'specs');
  if (existsSync(specs)) {
    for (const f of readdirSync(specs).filter((x) => x.endsWith('.json')).sort()) {
      let about = '';
      try { about = String((JSON.parse(readFileSync(join(specs, f), 'utf8')) as { idea?: unknown }).idea ?? ''); } catch { about = '(not readable JSON)'; }
      out.push({ label: f.replace(/\.json$/, ''), kind: 'spec', path: join(specs, f), about });
    }
  }
  const pine = join(root, 'test', 'agents', 'fixtures', 'pine');
  if (existsSync(pine)) {
    for (const f of readdirSync(pine).filter((x) => x.endsWith('.pine') && !x.includes('REFUSE')).sort()) {
      out.push({ label: f.replace(/\.pine$/, ''), kind: 'pine', path: join(pine, f), about: pineAbout(head(join(pine, f))) });
    }
  }
  return out;
}

// Vendored code, build output, bundled data and test fixtures are not the user's ideas.
const SKIP_DIRS = new Set(['node_modules', '.git', '.gauntlet', 'dist', 'coverage', 'data', 'fixtures']);

/**
 * Does a file's beginning look like a strategy? A Pine script declares `strategy(`; a text idea uses the
 * rule language's verbs or speaks of entries and exits. A README, a provenance note or a word list does not.
 */
export function looksLikeStrategy(name: string, head: string): boolean {
  if (/\.pine$/i.test(name)) return /\bstrategy\s*\(/.test(head);
  return /\b(buy|sell|short|cover|long|entry|entries|exit|exits|enter)\b/i.test(head);
}

/** `.pine` and `.txt` files under `dir` (depth ≤ 4, at most `limit`, 2,000 directories read at most), for the file picker. */
export function ideaFiles(dir: string, limit = 200): IdeaChoice[] {
  const out: IdeaChoice[] = [];
  // A console started in a large tree (a home directory) must still open at once.
  let dirsLeft = 2000;
  const walk = (d: string, depth: number): void => {
    if (out.length >= limit || dirsLeft <= 0) return;
    dirsLeft -= 1;
    let names: string[];
    try { names = readdirSync(d).sort(); } catch { return; }
    for (const name of names) {
      if (out.length >= limit) return;
      const p = join(d, name);
      let st;
      try { st = statSync(p); } catch { continue; }
      if (st.isDirectory()) {
        if (depth < 4 && !SKIP_DIRS.has(name) && !name.startsWith('.')) walk(p, depth + 1);
      } else if (/\.(pine|txt)$/i.test(name) && st.size > 0) {
        let text: string | null = null;
        try { text = head(p); } catch { text = null; }
        if (text !== null && !looksLikeStrategy(name, text)) continue;
        const about = text === null ? '(not readable)' : name.endsWith('.pine') ? pineAbout(text) : (text.split('\n')[0] ?? '').trim();
        out.push({ label: relative(dir, p), kind: 'file', path: p, about });
      }
    }
  };
  walk(dir, 0);
  return out;
}

/** The idea text of a choice: its text, or its file read (a clear error when it cannot be). */
export function ideaText(choice: IdeaChoice, cwd: string): string {
  if (choice.text !== undefined) {
    if (choice.text.trim() === '') throw new UserError('the idea is empty');
    return choice.text;
  }
  const path = resolve(cwd, choice.path ?? '');
  if (!existsSync(path) || statSync(path).isDirectory()) throw new UserError(`${choice.path}: no such file`);
  const text = readInputText(path, choice.path ?? path, MAX_TEXT_BYTES, 'idea');
  if (text.trim() === '') throw new UserError(`${choice.path}: the file is empty`);
  return text;
}

export interface ConsoleOptions {
  io: Io;
  store: Store;
  universe: Universe;
  /** Recorded with each translation: `bundled` or the universe directory. */
  universeLabel: string;
  agents: Agents;
  seed: number;
  credits: number;
  autoApprove: number | null;
  /** `--fees` / `--slippage`, applied to every session's spec. */
  costs?: { fees_bps?: number; slippage_bps?: number };
  /** `--symbols` / `--sector` / `--interval`: every session's research scope. */
  scope?: ResearchScope;
  examples?: IdeaChoice[];
  files?: IdeaChoice[];
}

export interface ConsoleHandle {
  store: ConsoleStore;
  /** Resolves when the running session (if any) has ended. */
  settled(): Promise<void>;
  /** Ends the session (see ConsoleEffects.close) and closes the store; idempotent. */
  close(): Promise<void>;
}

/** The console's store with its effects wired to a real store, universe and agents. */
export function createConsole(o: ConsoleOptions): ConsoleHandle {
  const { io, store } = o;
  let controller: AbortController | null = null;
  let session: Promise<void> = Promise.resolve();
  let closing: Promise<void> | null = null;
  let seenLedger = -1;
  const cs: ConsoleStore = createConsoleStore({
    settings: { storePath: displayDir(store.dir, io.cwd), llm: o.agents.label, llmMessage: o.agents.message, autoApprove: o.autoApprove, budget: o.credits, color: colorAllowed(io.env as NodeJS.ProcessEnv) },
    examples: o.examples ?? [],
    files: o.files ?? [],
    filesRoot: '.',
  }, {
    start: (choice) => {
      let text: string;
      try {
        text = ideaText(choice, io.cwd);
      } catch (e) {
        cs.getState().actions.sessionEnded(errorText(e));
        return;
      }
      controller = new AbortController();
      seenLedger = -1;
      const deps = researchDeps({
        universe: o.universe, store, approver: inboxApprover(cs), seed: o.seed, budget: new Budget({ credits: o.credits }), mode: 'interactive', io,
        agents: o.agents, signal: controller.signal, live: (e) => cs.getState().actions.live(e),
        provenance: { agents: o.agents.provenance, universe: o.universeLabel, ...(o.agents.model === null ? {} : { model: o.agents.model }), ...o.costs, ...scopeProvenance(o.scope ?? {}) },
        ...(o.costs === undefined ? {} : { costs: o.costs }),
        ...(o.scope === undefined ? {} : { scope: o.scope }),
      });
      session = drive(runResearch(text, deps), cs, { after: (e) => enrich(e) });
    },
    abort: () => controller?.abort(),
    close: () => close(),
    browse: () => {
      try {
        const data = store.data;
        cs.getState().actions.browserLoaded({ specs: specRows(data), runs: runRows(data), ledger: ledgerEntries(data), library: libraryRows(data) });
      } catch (e) {
        cs.getState().actions.browserMessage(`cannot read the store: ${errorText(e)}`);
      }
    },
    runDetail: (run) => {
      loadRunDetail(store, run).then((d) => cs.getState().actions.runDetailLoaded(d), (e: unknown) => cs.getState().actions.browserMessage(errorText(e)));
    },
    verify: () => {
      verifyStoreLedger(store).then((v) => cs.getState().actions.verified(v), (e: unknown) => cs.getState().actions.browserMessage(errorText(e)));
    },
    exportDossier: (specId) => {
      const name = store.get('specs', specId)?.spec as { name?: unknown } | undefined;
      const file = resolve(io.cwd, `dossier-${String(name?.name ?? 'spec').replace(/[^A-Za-z0-9_-]+/g, '-')}-${specId.slice(0, 8)}.md`);
      exportDossier(store, specId, file).then(
        (r) => cs.getState().actions.browserMessage(`wrote ${relative(io.cwd, r.file) || basename(r.file)} (${r.bytes} bytes)`),
        (e: unknown) => cs.getState().actions.browserMessage(`export failed: ${errorText(e)}`),
      );
    },
  });

  /**
   * What an event points at, read from the store for the panes: the spec, an equity curve, the ledger.
   * A read that fails costs the pane its picture, never the session: the loop goes on.
   */
  async function enrich(e: ResearchEvent): Promise<void> {
    try {
      await read(e);
    } catch (err) {
      cs.getState().actions.receive({ event: 'note', text: `the console could not read what ${e.event} points at: ${errorText(err)}` });
    }
  }

  async function read(e: ResearchEvent): Promise<void> {
    const a = cs.getState().actions;
    const specId = e.event === 'spec_version' ? e.spec_id : e.event === 'stage' && e.stage === 'spec' && e.status === 'done' ? cs.getState().specHashes?.id : undefined;
    if (specId !== undefined) {
      const rec = store.get('specs', specId);
      const parsed = SpecSchema.safeParse(rec?.spec);
      if (rec !== undefined && parsed.success) a.specLoaded(rec, parsed.data);
    }
    if (e.event === 'run') {
      const rec = store.get('runs', e.run_id);
      if (rec !== undefined) {
        const values = await store.readF64Artifact(rec.artifacts.equity.hash);
        a.equityLoaded({ runId: e.run_id, label: `${seriesKeyText(e.key)}${e.segment === 'visible' ? '' : ` ${e.segment}`}`, values });
      }
    }
    const ledger = store.ledger();
    if (ledger.length !== seenLedger) {
      seenLedger = ledger.length;
      const id = cs.getState().session?.id;
      a.ledgerLoaded(ledger.filter((x) => x.session === id).slice(-24));
    }
  }

  function close(): Promise<void> {
    closing ??= (async () => {
      await session;
      await store.close();
    })();
    return closing;
  }

  return { store: cs, settled: () => session, close };
}

const CONSOLE_OPTIONS = {
  idea: { type: 'string' },
  spec: { type: 'string' },
  budget: { type: 'string' },
  'auto-approve': { type: 'string' },
  seed: { type: 'string' },
  ...SESSION_FLAGS,
  db: { type: 'string' },
  universe: { type: 'string' },
  ollama: { type: 'string' },
  model: { type: 'string' },
  llm: { type: 'string' },
  'base-url': { type: 'string' },
  offline: { type: 'boolean', default: false },
  help: { type: 'boolean', short: 'h', default: false },
} as const;

/** The console flags; the zod-free parse keeps the messages the other commands give. */
function parseConsoleArgs(argv: string[]) {
  try {
    return parseArgs({
      args: negativeValues(argv, CONSOLE_OPTIONS),
      options: CONSOLE_OPTIONS,
      strict: true,
      allowPositionals: false,
    }).values;
  } catch (e) {
    throw new UserError(`gauntlet: ${argsProblem(e, CONSOLE_OPTIONS)}\nRun 'gauntlet --help' for the console's flags and the commands.`);
  }
}

/** The idea given on the command line, if any: --idea FILE|TEXT or --spec FILE. */
function initialChoice(values: { idea?: string | undefined; spec?: string | undefined }, io: Io): IdeaChoice | null {
  if (values.idea !== undefined && values.spec !== undefined) throw new UserError('gauntlet: give --idea or --spec, not both');
  if (values.spec !== undefined) {
    const path = resolve(io.cwd, values.spec);
    if (!existsSync(path) || !statSync(path).isFile()) throw new UserError(`--spec ${values.spec}: no such file`);
    return { label: values.spec, kind: 'spec', path };
  }
  if (values.idea === undefined) return null;
  if (values.idea.trim() === '') throw new UserError('--idea: the idea is empty');
  const path = resolve(io.cwd, values.idea);
  if (values.idea.length < 4096 && existsSync(path) && statSync(path).isFile()) return { label: values.idea, kind: 'file', path };
  return { label: values.idea.replace(/\s+/g, ' ').slice(0, 60), kind: 'text', text: values.idea };
}

export const NOT_A_TERMINAL = "gauntlet: the console needs a terminal (stdin and stdout must be a TTY); for a headless session run 'gauntlet research IDEA', and 'gauntlet --help' lists every command";

export async function run(argv: string[], io: Io, streams: RenderStreams = { stdin: process.stdin, stdout: process.stdout }): Promise<number> {
  const values = parseConsoleArgs(argv);
  if (values.help) { io.out(CONSOLE_HELP); return 0; }
  const credits = requireNumber('console', 'budget', values.budget, { integer: true, min: 1 }) ?? 1000;
  const seed = requireNumber('console', 'seed', values.seed, { integer: true, min: 0 }) ?? 1;
  const autoApprove = requireNumber('console', 'auto-approve', values['auto-approve'], { integer: true, min: 0 }) ?? null;
  const costs = costFlags('console', values);
  const choice = initialChoice(values, io);
  if (streams.stdin.isTTY !== true || streams.stdout.isTTY !== true) throw new UserError(NOT_A_TERMINAL);

  const universe = openUniverse(io, values.universe);
  const scope = scopeFlags('console', universe, values);
  // The server flags, checked before the store opens: a refused flag leaves nothing written.
  const server = {
    offline: values.offline,
    ...(values.ollama === undefined ? {} : { ollama: values.ollama }),
    ...(values.model === undefined ? {} : { model: values.model }),
    ...(values.llm === undefined ? {} : { llm: values.llm }),
    ...(values['base-url'] === undefined ? {} : { baseUrl: values['base-url'] }),
  };
  serverChoice({ ...server, io });
  const store = await openStore(resolveDbDir(values.db, io.env, io.cwd));
  let handle: ConsoleHandle | null = null;
  try {
    const agents = await resolveAgents({
      ...server, io, sink: storeSink(store), seed,
      onFallback: (n) => {
        handle?.store.getState().actions.receive({ event: 'note', text: `${n.role}: the model failed, the rules answered (${n.reason.split('\n')[0] ?? ''})` });
        if (n.breaker !== undefined) handle?.store.getState().actions.receive({ event: 'note', text: `${n.role}: ${n.breaker}` });
      },
      // Before the console is drawn: the terminal still shows plain lines, so a slow model load is visible.
      onProgress: (text) => io.err(`${text}\n`),
    });
    handle = createConsole({
      io, store, universe, agents, seed, credits, autoApprove, costs, scope,
      universeLabel: values.universe === undefined ? 'bundled' : resolve(io.cwd, values.universe),
      examples: exampleIdeas(), files: ideaFiles(io.cwd),
    });
    const ink = renderConsole(handle.store, streams);
    if (choice !== null) handle.store.getState().actions.startIdea(choice);
    await ink.waitUntilExit();
    return 0;
  } finally {
    if (handle !== null) await handle.close();
    else await store.close();
  }
}
