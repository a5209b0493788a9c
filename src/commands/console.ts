/**
 * `gauntlet` with no command: the interactive research console. This is its composition root: it
 * opens the store and the universe, resolves the agents, builds the console store and the effects
 * its actions ask for (start or resume a session, abort, close; the browsers' reads), and draws the
 * Ink app. What the start screen offers is ideas.ts; resuming is resume.ts.
 */
import { existsSync } from 'node:fs';
import { basename, relative, resolve } from 'node:path';
import { UserError } from '../core/errors.ts';
import { Budget } from '../core/budget/budget.ts';
import type { ResearchEvent } from '../core/research/events.ts';
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
import { serverChoice, serverFlags, storeSink, type Agents } from './agents-wiring.ts';
import { costFlags, requireNumber } from './args.ts';
import { scopeFlags, scopeProvenance } from './scope-flags.ts';
import type { ResearchScope } from '../core/research/scope.ts';
import { openUniverse } from './data-source.ts';
import type { Io } from './io.ts';
import { exampleIdeas, ideaFiles, ideaText } from './ideas.ts';
import { CONSOLE_HELP, NOT_A_TERMINAL, RESUME_HELP, initialChoice, parseConsoleArgs } from './console-args.ts';
import { resumeProblem, suspendedSessions } from './resume-list.ts';
import type { Resumed } from './resume.ts';
import type { runResearch as RunResearchFn } from '../core/research/loop.ts';

type RunResearch = typeof RunResearchFn;

export interface ConsoleOptions {
  io: Io;
  store: Store;
  universe: Universe;
  /** Recorded with each translation: `bundled` or the universe directory. */
  universeLabel: string;
  /**
   * The agents, or their promise (the Ollama probe): the start screen does not wait for it. The
   * header says `pendingLabel` until they arrive; an idea started before then waits for them.
   */
  agents: Agents | Promise<Agents>;
  pendingLabel?: string;
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
  let agents: Agents | null = o.agents instanceof Promise ? null : o.agents;
  const cs: ConsoleStore = createConsoleStore({
    settings: { storePath: displayDir(store.dir, io.cwd), llm: agents?.label ?? o.pendingLabel ?? 'connecting…', llmMessage: agents?.message ?? null, autoApprove: o.autoApprove, budget: o.credits, color: colorAllowed(io.env as NodeJS.ProcessEnv),
      ...(o.universe.survivorship === 'biased' ? { survivorship: 'biased' as const } : {}) },
    examples: o.examples ?? [],
    files: o.files ?? [],
    filesRoot: '.',
  }, {
    start: (choice) => {
      if (choice.kind === 'resume') { resumeSession(choice.session ?? choice.label); return; }
      let text: string;
      try {
        text = ideaText(choice, io.cwd);
      } catch (e) {
        cs.getState().actions.sessionEnded(errorText(e));
        return;
      }
      controller = new AbortController();
      seenLedger = -1;
      const signal = controller.signal;
      // The research loop loads on first use (the start screen does not wait for it), and the
      // agents may still be on their way: a session started now waits for both.
      session = (async () => {
        const [a, { runResearch }, { researchDeps }] = await Promise.all([ready, import('../core/research/loop.ts'), import('./research-wiring.ts')]);
        const deps = researchDeps({
          universe: o.universe, store, approver: inboxApprover(cs), seed: o.seed, budget: new Budget({ credits: o.credits }), mode: 'interactive', io,
          agents: a, signal, live: (e) => cs.getState().actions.live(e),
          provenance: {
            agents: a.provenance, universe: o.universeLabel, ...(a.model === null ? {} : { model: a.model }), ...o.costs, ...scopeProvenance(o.scope ?? {}),
            ...(o.universe.survivorship === 'biased' ? { survivorship: 'biased' } : {}),
          },
          ...(o.costs === undefined ? {} : { costs: o.costs }),
          ...(o.scope === undefined ? {} : { scope: o.scope }),
        });
        await drive(runResearch(text, deps), cs, { after: (e) => enrich(e) });
      })().catch((e: unknown) => cs.getState().actions.sessionEnded(errorText(e)));
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
   * A SUSPENDED session: its recorded part is replayed into the panes (checked against the ledger),
   * then the waiting proposal is offered again and the session goes on live (resume.ts).
   */
  function resumeSession(id: string): void {
    controller = new AbortController();
    seenLedger = -1;
    const signal = controller.signal;
    session = (async () => {
      let r: Resumed;
      let runResearch: RunResearch;
      try {
        const [a, loop, { prepareResume }] = await Promise.all([ready, import('../core/research/loop.ts'), import('./resume.ts')]);
        runResearch = loop.runResearch;
        r = await prepareResume(store, id, {
          io, approver: inboxApprover(cs), agents: a, signal, live: (e) => cs.getState().actions.live(e),
          onLive: () => cs.getState().actions.receive({ event: 'note', text: `resumed ${id}: the recorded part replayed identically; the session is live again` }),
        });
      } catch (e) {
        cs.getState().actions.sessionEnded(errorText(e));
        return;
      }
      try {
        await drive(runResearch(r.idea, r.deps), cs, { after: (e) => enrich(e) });
      } finally {
        await r.dispose();
      }
    })();
  }

  // When the agents arrive, the header says who answers (and, when Ollama cannot, what to do about it).
  const ready: Promise<Agents> = Promise.resolve(o.agents).then((a) => {
    if (agents === null) cs.setState((st) => ({ settings: { ...st.settings, llm: a.label, llmMessage: a.message } }));
    agents = a;
    return a;
  });
  ready.catch(() => undefined); // a failed probe is reported by whoever awaits it (run(), a session)

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

/** Before the terminal check and the lock: a session that cannot be resumed is said at once (exit 2). */
async function checkResumable(id: string, dir: string): Promise<void> {
  if (!existsSync(dir)) throw new UserError(`gauntlet resume: no store at ${dir}, so no session "${id}"; give the store with --db DIR`);
  const store = await openStore(dir, { readonly: true });
  try {
    const problem = resumeProblem(store.get('sessions', id), id);
    if (problem !== null) throw new UserError(`gauntlet resume: ${problem}`);
  } finally {
    await store.close();
  }
}

/** The start screen offers the store's suspended sessions first. */
export function resumeChoices(store: Store): IdeaChoice[] {
  return suspendedSessions(store).map((x) => ({ label: `resume ${x.id}`, kind: 'resume', session: x.id, about: `${x.idea} (${x.reason.split(';')[0] ?? ''})` }));
}

/** `gauntlet resume SESSION [flags]`: the console, opened on a suspended session. */
export async function runResume(argv: string[], io: Io, streams?: RenderStreams): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) { io.out(RESUME_HELP); return 0; }
  const [id, ...rest] = argv;
  // The session comes first: a word after a flag would be that flag's value.
  if (id === undefined || id.startsWith('-')) throw new UserError("gauntlet resume: which session? Give its id first, e.g. 'gauntlet resume s1-3'; 'gauntlet sessions' lists them");
  return await run(['--resume', id, ...rest], io, streams);
}

export async function run(argv: string[], io: Io, streams: RenderStreams = { stdin: process.stdin, stdout: process.stdout }): Promise<number> {
  const values = parseConsoleArgs(argv);
  if (values.help) { io.out(CONSOLE_HELP); return 0; }
  const credits = requireNumber('console', 'budget', values.budget, { integer: true, min: 1 }) ?? 1000;
  const seed = requireNumber('console', 'seed', values.seed, { integer: true, min: 0 }) ?? 1;
  const autoApprove = requireNumber('console', 'auto-approve', values['auto-approve'], { integer: true, min: 0 }) ?? null;
  const costs = costFlags('console', values);
  const choice = initialChoice(values, io);
  if (choice?.kind === 'resume') await checkResumable(choice.session!, resolveDbDir(values.db, io.env, io.cwd));
  if (streams.stdin.isTTY !== true || streams.stdout.isTTY !== true) throw new UserError(NOT_A_TERMINAL);

  const universe = openUniverse(io, values.universe);
  const scope = scopeFlags('console', universe, values);
  // The server flags, checked before the store opens: a refused flag leaves nothing written.
  const server = serverFlags(values);
  serverChoice({ ...server, io });
  const store = await openStore(resolveDbDir(values.db, io.env, io.cwd));
  let handle: ConsoleHandle | null = null;
  const note = (text: string): void => handle?.store.getState().actions.receive({ event: 'note', text });
  // Quitting before the probe has answered must not leave the process waiting on it.
  const probe = new AbortController();
  try {
    // The start screen is drawn first; the Ollama probe (and the model load it may start) runs
    // behind it, and the header says who answers when it is done.
    const agents = import('./agents-wiring.ts').then(({ resolveAgents }) => resolveAgents({
      ...server, io, sink: storeSink(store), seed, signal: probe.signal,
      onFallback: (n) => {
        note(`${n.role}: the model failed, the rules answered (${n.reason.split('\n')[0] ?? ''})`);
        if (n.breaker !== undefined) note(`${n.role}: ${n.breaker}`);
      },
      // The console is already drawn: progress goes to its notes, not to stderr under the screen.
      onProgress: (text) => note(text),
    }));
    handle = createConsole({
      io, store, universe, agents, seed, credits, autoApprove, costs, scope,
      pendingLabel: values.offline ? 'offline — rules' : 'connecting…',
      universeLabel: values.universe === undefined ? 'bundled' : resolve(io.cwd, values.universe),
      examples: [...resumeChoices(store), ...exampleIdeas()], files: ideaFiles(io.cwd),
    });
    const ink = renderConsole(handle.store, streams);
    // A probe that fails outright (not "Ollama is down", which the rules answer for) ends the console
    // as it ended the command before the screen drew: its message, its exit code.
    let failure: unknown = null;
    agents.catch((e: unknown) => { failure = e; ink.unmount(); });
    if (choice !== null) handle.store.getState().actions.startIdea(choice);
    await ink.waitUntilExit();
    if (failure !== null) throw failure;
    return 0;
  } finally {
    probe.abort();
    if (handle !== null) await handle.close();
    else await store.close();
  }
}
