import { existsSync, statSync } from 'node:fs';
import { readIdeaFile } from './idea-arg.ts';
import { resolve } from 'node:path';
import { UserError } from '../core/errors.ts';
import { versionedGateConfig, type VersionedGateConfig } from '../core/gates/config.ts';
import { InvariantError } from '../core/invariants.ts';
import { Budget } from '../core/budget/budget.ts';
import { openStore } from '../core/store/store.ts';
import { displayDir, resolveDbDir } from '../core/store/paths.ts';
import { runResearch } from '../core/research/loop.ts';
import { SURVIVORSHIP_NOTE } from '../core/universe.ts';
import type { ApproverPort } from '../core/research/ports.ts';
import { SESSION_FLAGS, costFlags, parseCommandArgs, requireNumber } from './args.ts';
import { scopeFlags, scopeProvenance } from './scope-flags.ts';
import { scopeText } from '../core/research/scope.ts';
import { askApprover } from './ask-approver.ts';
import { approverFor } from '../agents/rules/approvers.ts';
import type { Io } from './io.ts';
import { eventJson, eventLine } from './research-print.ts';
import { researchDeps } from './research-wiring.ts';
import { resolveAgents, serverChoice, serverFlags, storeSink } from './agents-wiring.ts';
import { openUniverse } from './data-source.ts';
import { MAX_TEXT_BYTES, readInputText } from '../core/input-file.ts';

const HELP = `Usage: gauntlet research IDEA|FILE [--budget N] [--approve MODE] [--seed S]
                         [--symbols A,B,…] [--sector NAME] [--interval I] [--fees BPS] [--slippage BPS]
                         [--db DIR] [--universe DIR] [--ollama URL] [--model NAME] [--llm openai --base-url URL] [--offline] [--json]
       gauntlet research --replay SESSION_ID [--db DIR] [--universe DIR] [--json]

Runs the whole research loop headless: translate the idea (plain rules, a Pine strategy, or free
text for the model, as text or a file), compile it, then let the Director propose costed steps —
each approved or vetoed — backtest, judge with the gates, review, and decide, until the strategy
is DEAD, FROZEN (budget spent or nothing left), KILLED or PROMOTED.

  --budget N       credits for this session (default 1000; prices in docs/budget.md)
  --approve MODE   ask: ask on the terminal before each spend (default; end of input = veto)
                   all: approve every costed step, but never a terminal decision: at a
                     promotion the session stops SUSPENDED, the proposal pending and nothing
                     spent for it ('gauntlet resume ID' decides it); a proposed kill freezes it
                   all+promote: as all, and also approve a promotion (the one-look
                     confirmation that ends the session), recorded as pre-approved by this
                     flag; for batch runs. A kill is still never approved without a person
                   none: veto every proposal (nothing is spent)
  --seed S         seed for every random choice (probes, subsamples, search); default 1.
                   The same seed, data and store history give the same ledger.
  --db DIR         the store (default ./.gauntlet, or $GAUNTLET_DB)
  --universe DIR   a directory of CSVs plus universe.json instead of the bundled data
  --ollama URL     the Ollama server (default $OLLAMA_HOST, then http://127.0.0.1:11434)
  --model NAME     the model for the Translator, Director and Reviewer (default: the most
                   recently installed chat model). Every call has temperature 0 and the seed,
                   and is stored as a transcript; a role whose call fails answers with its
                   rules. Ollama not running, or the model missing: the whole session runs on
                   the rules, and the first line says so and what to do.
  --llm openai     an OpenAI-compatible server instead (LM Studio, llama.cpp's server, vLLM):
  --base-url URL   its URL, e.g. http://127.0.0.1:1234/v1 (or $GAUNTLET_OPENAI_BASE_URL);
                   replies use response_format json_schema (docs/local-models.md)
  --offline        deterministic agents only; Ollama is never contacted
  --fees BPS       fees per fill in basis points, replacing the spec's (0 to 1000); an idea
                   that states no costs gets its market's defaults (docs/costs.md)
  --slippage BPS   slippage per fill in basis points, likewise
  --symbols A,B    research only these symbols (the statistics still count every trial)
  --sector NAME    research only this sector's symbols
  --interval I     research only at this interval (1m 5m 15m 1h 4h 1d); no other is proposed
  --gates FILE     a gate config (JSON): thresholds that tighten the defaults; a looser one
                   needs its own "version" name, which every verdict then carries (docs/gates.md)
  --replay ID      re-run a recorded session from its transcripts and decisions, without a
                   model, and check that it writes the same ledger (exit 1 if not)
  --json           one JSON object per event (NDJSON); the last line is the summary

Environment: OLLAMA_HOST; GAUNTLET_OLLAMA_TIMEOUTS=connect=MS,first_byte=MS,idle=MS,call=MS
(defaults 3000, 120000, 30000, 300000: a model that loads slowly needs a longer first_byte;
call bounds a whole model call however steadily it streams). GAUNTLET_DOWNLOAD_BASE_URL: where an
approved download of missing bars sends its requests (as 'data download --base-url'; docs/director.md).

Exit codes: 0 whatever the verdict; 2 bad input (a refused translation, an invalid spec);
3 a store problem (locked by another process, corrupt, unreadable).
`;

export async function run(argv: string[], io: Io): Promise<number> {
  const { values, positionals } = parseCommandArgs('research', argv, {
    budget: { type: 'string' },
    approve: { type: 'string', default: 'ask' },
    seed: { type: 'string' },
    gates: { type: 'string' },
    ...SESSION_FLAGS,
    db: { type: 'string' },
    universe: { type: 'string' },
    offline: { type: 'boolean', default: false },
    ollama: { type: 'string' },
    model: { type: 'string' },
    llm: { type: 'string' },
    'base-url': { type: 'string' },
    replay: { type: 'string' },
    json: { type: 'boolean', default: false },
    help: { type: 'boolean', short: 'h', default: false },
  }, true);
  if (values.help) { io.out(HELP); return 0; }
  if (values.replay !== undefined) {
    if (positionals.length > 0) throw new UserError('gauntlet research --replay: give a session id and no idea (the session recorded its own)\nRun \'gauntlet research --help\' for usage.');
    const { runReplay } = await import('./research-replay.ts');
    return runReplay(values.replay, { db: values.db, universe: values.universe, json: values.json, io });
  }
  if (positionals.length === 0) throw new UserError("gauntlet research: give an idea (text) or a file\nRun 'gauntlet research --help' for usage.");
  const approve = values.approve;
  if (approve !== 'all' && approve !== 'all+promote' && approve !== 'none' && approve !== 'ask') throw new UserError(`gauntlet research: --approve must be ask, all, all+promote or none, got "${approve}"`);
  const credits = requireNumber('research', 'budget', values.budget, { integer: true, min: 1 }) ?? 1000;
  const seed = requireNumber('research', 'seed', values.seed, { integer: true, min: 0 }) ?? 1;
  const idea = readIdea(positionals.join(' '), io);
  const costs = costFlags('research', values);
  // Read before the store opens: a refused config leaves nothing written.
  const gates = values.gates === undefined ? undefined : readGateConfig(values.gates, io);

  const universe = openUniverse(io, values.universe);
  const scope = scopeFlags('research', universe, values);
  // The server flags, checked before the store opens: a refused flag leaves nothing written.
  const server = serverFlags(values);
  serverChoice({ ...server, io });
  const dir = resolveDbDir(values.db, io.env, io.cwd);
  const store = await openStore(dir);
  const asker = approve === 'ask' ? askApprover(io) : null;
  const approver: ApproverPort = approve === 'ask' || approve === 'none'
    ? asker ?? { decide: async () => ({ decision: 'veto', note: '--approve none' }) }
    : approverFor(approve);
  // A note outside the loop's own events (who answers, a role that fell back): stderr for a person, an event in --json.
  const note = (text: string): void => {
    if (values.json) io.out(`${eventJson({ event: 'note', text })}\n`);
    else io.err(`${text}\n`);
  };
  let drafted: { source: string; spec_id: string } | null = null;
  // A --json stream always ends with a summary line, an error included (then status "ERROR").
  let summarized = false;
  let spent = 0;
  let runs = 0;
  let trials = 0;
  try {
    const agents = await resolveAgents({
      ...server, io, sink: storeSink(store), seed,
      onFallback: (n) => note(`${n.role}: the model failed (${firstLine(n.reason)}); the rules answered${n.transcripts.length > 0 ? ` (transcripts ${n.transcripts.join(', ')})` : ''}${n.breaker === undefined ? '' : `\n${n.role}: ${n.breaker}`}`),
      onProgress: note,
    });
    note(agents.line);
    if (Object.keys(scope).length > 0) note(`scope: ${scopeText(scope)} (the Director proposes nothing outside it)`);
    const provenance = {
      agents: agents.provenance,
      universe: values.universe === undefined ? 'bundled' : resolve(io.cwd, values.universe),
      ...(agents.model === null ? {} : { model: agents.model }),
      // What a replay must apply again: the command line's costs and gate config.
      ...costs,
      ...(gates === undefined ? {} : { gates: JSON.stringify({ version: gates.version, ...gates.config }) }),
      ...scopeProvenance(scope),
      ...(universe.survivorship === 'biased' ? { survivorship: 'biased' } : {}),
    };
    // --json: said as a note event up front; a person reads it under the verdict (below).
    if (universe.survivorship === 'biased' && values.json) note(`data: ${SURVIVORSHIP_NOTE}`);
    const deps = researchDeps({ universe, store, approver, seed, budget: new Budget({ credits }), mode: approve === 'ask' ? 'interactive' : 'auto', io, agents, provenance, ...(gates === undefined ? {} : { gates }), costs, scope });
    for await (const e of runResearch(idea, deps)) {
      if (e.event === 'translation' && e.source !== 'rules') drafted = { source: e.source, spec_id: e.spec_id };
      if (e.event === 'summary') summarized = true;
      // A suspended session has no verdict, but a --json stream still ends with its summary line.
      if (e.event === 'suspended' && values.json) {
        io.out(`${eventJson(e)}\n${JSON.stringify({ event: 'summary', status: 'SUSPENDED', reason: e.reason, credits_spent: spent, trials, runs })}\n`);
        summarized = true;
        continue;
      }
      if (e.event === 'spend') spent += e.cost;
      if (e.event === 'run') runs++;
      if (e.event === 'trials') trials += e.count;
      if (values.json) io.out(`${eventJson(e)}\n`);
      else {
        const line = eventLine(e);
        if (line !== null) io.out(`${line}\n`);
        // The verdict says what its data is worth.
        if (e.event === 'status' && universe.survivorship === 'biased') io.out(`  data: ${SURVIVORSHIP_NOTE}\n`);
      }
    }
    return 0;
  } catch (e) {
    if (values.json && !summarized) {
      const code = e instanceof UserError ? e.exitCode : 1;
      const reason = firstLine(e instanceof Error ? e.message : String(e));
      io.out(`${JSON.stringify({ event: 'summary', status: 'ERROR', reason, exit_code: code, credits_spent: spent, trials, runs })}\n`);
    }
    if (e instanceof InvariantError) throw new UserError(`gauntlet research: invariant ${e.code} violated: ${e.message}\nNothing was spent for the failed step; the store ${displayDir(dir, io.cwd)} is intact.`, 1);
    // A model's draft that the compiler refuses: say whose draft it was and where to read it.
    if (e instanceof UserError && drafted !== null && e.exitCode === 2) {
      throw new UserError(`${e.message}\nThat spec (${drafted.spec_id.slice(0, 12)} in the store) was drafted by ${drafted.source} from your text. Rephrase the idea, or write it in the rule language (README, "The plain rule language").`, 2);
    }
    throw e;
  } finally {
    asker?.close();
    await store.close();
  }
}

/** A path to an existing file is read; a path-looking argument that is not one is "file not found"; anything else is the idea itself. */
function readIdea(arg: string, io: Io): string {
  if (arg.trim() === '') throw new UserError('gauntlet research: the idea is empty');
  return readIdeaFile(arg, io.cwd, 'gauntlet research') ?? arg;
}

function firstLine(s: string): string {
  const line = s.split('\n')[0] ?? s;
  return line.length > 300 ? `${line.slice(0, 297)}…` : line;
}

/** `--gates FILE`: a JSON gate config, validated whole (a looser threshold needs a new version name). */
function readGateConfig(arg: string, io: Io): VersionedGateConfig {
  const path = resolve(io.cwd, arg);
  if (!existsSync(path) || !statSync(path).isFile()) throw new UserError(`gauntlet research --gates: ${arg}: no such file`);
  let raw: unknown;
  try {
    raw = JSON.parse(readInputText(path, arg, MAX_TEXT_BYTES, 'gate config'));
  } catch (e) {
    if (e instanceof UserError) throw e;
    throw new UserError(`gauntlet research --gates: ${arg}: not valid JSON (${e instanceof Error ? e.message : String(e)})`);
  }
  return versionedGateConfig(raw, arg);
}
