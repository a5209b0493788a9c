import { UserError } from '../errors.ts';
import { InvariantError } from '../invariants.ts';
import { ideaEcho } from './idea-echo.ts';
import type { Budget, SessionMode } from '../budget/budget.ts';
import type { Store } from '../store/store.ts';
import type { LedgerEntry } from '../ledger/schema.ts';
import { logicHash, paramsHash, specId } from '../spec/hash.ts';
import { deepFreeze } from '../spec/parse.ts';
import { paramProblem } from '../spec/params.ts';
import type { Spec } from '../spec/schema.ts';
import { withCosts } from '../spec/costs.ts';
import { failureReason, type GateVerdict } from './gate.ts';
import { batchWeight, trialCounts } from './trials.ts';
import type { FinalStatus, LiveEvent, OfferedProposal, ResearchEvent, Stage } from './events.ts';
import type {
  AgentOptions, ApproverPort, CandidateProposal, CausalityReport, DirectorPort, EnginePort, ReviewerPort, TranslatorPort,
} from './ports.ts';
import type { UniverseSymbol } from '../universe.ts';
import type { Judge, Policy } from './policy.ts';
import { handlerOf, parseDetail, type DetailOf, type LoopSteps } from './actions.ts';
import type { Action } from '../budget/cost-table.ts';
import { seriesKeyText, type SeriesKey, type SeriesRun } from './run.ts';
import { reached, type ResearchState } from './state.ts';
import { afterJudgement, ending, isEnding, whenNothingOffered, type Ending } from './phase.ts';
import { DirectorRankingSchema, ReviewSchema } from './replies.ts';
import { Journal, type TrialRecord } from './journal.ts';
import { excessSample, meanExcess } from '../gates/excess-sample.ts';
import { formatNumber } from '../format/numbers.ts';
import type { DownloadRecord } from './download-record.ts';

export interface LoopDeps {
  engine: EnginePort;
  translator: TranslatorPort;
  director: DirectorPort;
  reviewer: ReviewerPort;
  approver: ApproverPort;
  policy: Policy;
  judge: Judge;
  store: Store;
  budget: Budget;
  seed: number;
  /** interactive: a person approves (I6 needs `by: user`); auto: `--approve all|none`. */
  mode: SessionMode;
  signal?: AbortSignal;
  now?: () => Date;
  /** Director rounds before the loop gives up (a guard against a policy that never ends). */
  maxRounds?: number;
  /** What replay needs to know besides the store: the data source, the agents' mode (recorded with the translation). */
  provenance?: Record<string, string | number | boolean | null>;
  /** Live, unordered progress (model text streaming in) for a console; see LiveEvent. */
  live?: (e: LiveEvent) => void;
  /** Costs from the command line (`--fees`, `--slippage`): they replace the spec's before it is stored. */
  costs?: Partial<Spec['execution']>;
}

/**
 * The session stops at a proposal, unanswered: not an ending, it waits to be resumed (docs/sessions.md).
 * The user quit, or an automatic approval met a promotion; the message, when given, says why.
 */
class Suspend extends Error {}

/** The note of the veto recorded when an automatic approval met a kill (a replay reads it back as that approval). */
export const AUTO_KILL_REFUSED = 'automatic approval never approves kill';

const CAUSALITY_CUTS = 16;

/**
 * The research loop (DESIGN §1): idea → translator → spec → compiler → (director → approval → engine →
 * gates → reviewer → decision)* until the strategy is DEAD, FROZEN, KILLED or PROMOTED. It yields a
 * typed event for everything it does and writes every decision, spend, run and verdict to the
 * store as it happens, so a crash loses at most the step in flight.
 */
export async function* runResearch(idea: string, deps: LoopDeps): AsyncGenerator<ResearchEvent, void> {
  const r = new ResearchRun(deps);
  yield* r.run(idea);
}

class ResearchRun implements LoopSteps {
  private readonly now: () => Date;
  private session = '';
  state!: ResearchState;
  private counter = 0;
  private journal!: Journal;
  private runCount = 0;
  private trialCount = 0;
  private spent = 0;
  private causality: CausalityReport | null = null;
  private libraryEntry: string | undefined;
  /** Why the last approved download failed (offline …), for the reason a session that then runs out of offers gives. */
  private downloadFailure: string | null = null;

  readonly policy: Policy;
  readonly judge: Judge;

  constructor(private readonly d: LoopDeps) {
    this.now = d.now ?? (() => new Date());
    this.policy = d.policy;
    this.judge = d.judge;
  }

  private agentOptions(role: LiveEvent['role']): AgentOptions {
    const live = this.d.live;
    return {
      session: this.session,
      ...(this.d.signal === undefined ? {} : { signal: this.d.signal }),
      ...(live === undefined ? {} : { onText: (text: string) => live({ event: 'stream', role, text }) }),
    };
  }

  private ts(): string {
    return this.now().toISOString();
  }

  private id(kind: string): string {
    this.counter += 1;
    return `${this.session}-${kind}${this.counter}`;
  }

  async *run(idea: string): AsyncGenerator<ResearchEvent, void> {
    const { store, budget } = this.d;
    const n = store.list('sessions').length + 1;
    this.session = `s${this.d.seed}-${n}`;
    this.journal = new Journal(store, budget, this.d.mode, this.session, () => this.ts(), (kind) => this.id(kind));
    yield { event: 'session', session: this.session, seed: this.d.seed, budget: budget.config.credits, store: store.dir };
    yield* this.closeInterrupted();
    yield* this.stage('idea', 'done', ideaEcho(idea));

    // ② Translator
    yield* this.stage('translator', 'running');
    const translated = await this.d.translator.translate(idea, this.agentOptions('translator'));
    const override = this.d.costs ?? {};
    const spec = withCosts(translated.value.spec, override);
    const warnings = Object.keys(override).length === 0 ? translated.value.warnings : [
      // The command line's costs replace the spec's, so a note that defaults were used no longer holds.
      ...translated.value.warnings.filter((w) => !w.startsWith('costs: ')),
      `costs: ${Object.entries(override).map(([k, v]) => `${k === 'fees_bps' ? 'fees' : 'slippage'} ${v} bps`).join(' and ')} per fill from the command line`,
    ];
    const id = specId(spec);
    yield { event: 'translation', source: translated.source, summary: translated.value.summary, warnings, spec_id: id, logic_hash: logicHash(spec), params_hash: paramsHash(spec), name: spec.name };
    yield* this.stage('translator', 'done', translated.source);

    // The whole idea, for replay (the ledger keeps a readable excerpt).
    const ideaRef = await store.putArtifact(idea);
    // ③ Spec: stored, the session opened and its budget granted, in one atomic write.
    await this.journal.open(spec, { source: translated.source, idea: idea.slice(0, 500), idea_artifact: ideaRef.hash, seed: this.d.seed, summary: translated.value.summary, ...this.d.provenance });
    yield* this.stage('spec', 'done', `${spec.name} ${id.slice(0, 8)}`);

    let end: Ending;
    try {
      // ④ Compiler: compile errors are the spec's fault (exit 2); complexity is the first gate.
      yield* this.stage('compiler', 'running');
      const report = this.d.engine.compile(spec);
      yield { event: 'compiled', report };
      this.state = {
        session: this.session, spec, specId: id, logicHash: logicHash(spec), meta: spec.meta, compile: report,
        keys: [], interval: null, runs: [], verdicts: new Map(), vetoed: new Set(), vetoNotes: [],
        phase: { kind: 'start', rest: [] }, milestones: new Set(), optimization: null, walkForward: null,
        regimeFacts: [], constrainedTo: null, selectionK: 1, drawSeed: `${this.d.seed}:${logicHash(spec)}`,
        balance: budget.balance(store.ledger(), this.session), facts: [],
      };
      // The holdout is opened once per strategy family, ever: an earlier session's opening counts (I5).
      if (this.holdoutOpenedBefore()) this.state.milestones.add('holdout_opened');
      const complexity = this.d.judge.complexity(report);
      yield* this.recordVerdict(complexity, []);
      if (complexity.pass) {
        yield* this.stage('compiler', 'done');
        end = yield* this.decide();
      } else {
        end = ending('DEAD', failureReason(complexity));
      }
    } catch (e) {
      if (e instanceof Suspend) {
        const why = e.message !== '' ? e.message : `suspended at a proposal (ledger #${store.ledger().filter((x) => x.session === this.session).at(-1)?.seq ?? '?'}); resume with 'gauntlet resume ${this.session}'`;
        await this.journal.suspend(why);
        yield { event: 'suspended', session: this.session, reason: why };
        return;
      }
      // A refused spec, a broken invariant or a bug: the session is closed (never left RUNNING)
      // with the reason, and the error still reaches the caller for its exit code.
      const why = e instanceof InvariantError ? `invariant ${e.code} violated: ${e.message}` : e instanceof Error ? e.message : String(e);
      const short = why.length > 500 ? `${why.slice(0, 497)}…` : why;
      // A bug (not a refusal the user can act on) says nothing about the strategy: it is never
      // stored as a verdict; the session is closed as INTERRUPTED, as a crash would leave it.
      const rec = e instanceof UserError || e instanceof InvariantError ? undefined : store.get('sessions', this.session);
      if (rec !== undefined) await this.journal.interrupted(rec, `internal error: ${short}`);
      else await this.finish('DEAD', short);
      throw e;
    }
    const { status, reason } = end;
    await this.finish(status, reason);
    yield { event: 'status', status, reason };
    yield { event: 'summary', status, reason, credits_spent: this.spent, trials: this.trialCount, runs: this.runCount, ...(this.libraryEntry === undefined ? {} : { library_entry: this.libraryEntry }) };
  }

  private async finish(status: FinalStatus, reason: string): Promise<void> {
    await this.journal.finish(status, reason, this.state?.specId);
  }

  /**
   * We hold the store's lock, so a session still RUNNING belongs to a process that died. Its
   * records are intact up to the last atomic write; it is closed as INTERRUPTED and reported.
   */
  private async *closeInterrupted(): AsyncGenerator<ResearchEvent, void> {
    const stale = this.d.store.list('sessions').filter((x) => x.status === 'RUNNING');
    for (const old of stale) {
      const entries = this.d.store.ledger().filter((e) => e.session === old.id);
      const last = entries[entries.length - 1];
      const spent = entries.reduce((a, e) => a + (e.kind === 'spend' ? e.cost : 0), 0);
      const reason = `interrupted: the process stopped after ledger entry #${last?.seq ?? '?'} (${last?.action ?? 'none'}); ${spent} credits had been spent`;
      await this.journal.interrupted(old, reason);
      yield { event: 'note', text: `earlier session ${old.id} was ${reason}` };
    }
  }

  private *stage(stage: Stage, status: 'running' | 'done' | 'failed', detail?: string): Generator<ResearchEvent> {
    yield detail === undefined ? { event: 'stage', stage, status } : { event: 'stage', stage, status, detail };
  }

  /** ⑤–⑨ Director rounds until the session ends; the ending is returned. */
  private async *decide(): AsyncGenerator<ResearchEvent, Ending> {
    const { policy, engine } = this.d;
    const universe = engine.universe();
    const maxRounds = this.d.maxRounds ?? 200;
    for (let round = 0; round < maxRounds; round++) {
      if (this.d.signal?.aborted === true) return ending('KILLED', 'cancelled by the user');
      yield* this.stage('director', 'running');
      const initial = round === 0 && this.state.keys.length === 0 ? await this.initialProposals() : null;
      if (isEnding(initial)) return initial;
      const candidates = initial ?? policy.proposeNext(this.state, universe).filter((c) => !this.state.vetoed.has(c.id));
      const affordable = candidates.filter((c) => c.cost <= this.state.balance);
      const actionable = affordable.filter((c) => c.action !== 'kill');
      if (actionable.length === 0) {
        // The rules drop what the balance cannot pay; asking them again without that limit tells
        // "budget exhausted" apart from "nothing left".
        const wanted = this.state.keys.length === 0 ? candidates : policy.proposeNext({ ...this.state, balance: Number.MAX_SAFE_INTEGER }, universe);
        const unpaid = wanted.filter((c) => c.action !== 'kill' && !this.state.vetoed.has(c.id) && c.cost > this.state.balance);
        const limit = unpaid.length > 0
          ? `budget exhausted: ${this.state.balance} credits left, the cheapest next step (${unpaid.reduce((a, b) => (b.cost < a.cost ? b : a)).action}) costs ${Math.min(...unpaid.map((c) => c.cost))}`
          : this.state.vetoed.size > 0 ? `every proposal was vetoed${this.downloadFailure === null ? '' : ` or could not run (the download failed: ${this.downloadFailure})`}; nothing left to try` : 'the Director has nothing left to propose';
        // A deferred pooled FAIL stands once its narrowing is declined or unaffordable; not judged is not
        // failed: a session that cannot buy the missing evidence says what is missing.
        const end = whenNothingOffered(this.state.phase, limit);
        if (end.status === 'FROZEN') await this.recordFreeze(end.reason);
        return end;
      }
      const rankedRaw = await this.d.director.rank({ meta: this.state.meta, candidates: affordable, facts: [...policy.facts(this.state, universe), ...this.state.vetoNotes.map((n) => `user note: ${n}`)] }, this.agentOptions('director'));
      const parsedRanking = DirectorRankingSchema.safeParse(rankedRaw.value);
      // An unreadable ranking keeps the rules' order and prose (I8: nothing else is taken from it).
      const ranked = { source: rankedRaw.source, value: parsedRanking.success ? parsedRanking.data : { order: [], notes: {} } };
      const byId = new Map(affordable.map((c) => [c.id, c]));
      // The Director may reorder and drop; it cannot add (ids are checked) or reprice (costs come from `byId`).
      const order = ranked.value.order.filter((x) => byId.has(x));
      for (const c of affordable) if (!order.includes(c.id)) order.push(c.id);
      yield* this.stage('director', 'done', ranked.source);

      let acted = false;
      for (const pid of order) {
        const c = byId.get(pid)!;
        const note = ranked.value.notes[pid];
        const offered: OfferedProposal = {
          ...c,
          justification: note?.justification?.trim() || c.rationale,
          expected_information_gain: note?.expected_information_gain?.trim() || c.rationale,
          source: ranked.source,
        };
        yield { event: 'proposal', proposal: offered };
        const decision = await this.d.approver.decide(offered);
        if (decision.decision === 'suspend') throw new Suspend();
        const by = this.d.mode === 'interactive' || decision.by === 'user' ? 'user' : 'auto';
        if (decision.decision === 'kill') {
          await this.recordDecision(offered, 'killed', by, decision.note ?? null);
          yield { event: 'decision', proposal_id: pid, decision: 'killed', by, note: decision.note ?? null };
          return ending('KILLED', decision.note !== undefined && decision.note !== '' ? `killed by the user: ${decision.note}` : 'killed by the user');
        }
        if (decision.decision === 'veto') {
          this.state.vetoed.add(pid);
          if (decision.note !== undefined && decision.note !== '') this.state.vetoNotes.push(decision.note);
          await this.recordDecision(offered, 'vetoed', by, decision.note ?? null);
          yield { event: 'decision', proposal_id: pid, decision: 'vetoed', by, note: decision.note ?? null };
          continue;
        }
        if (c.action === 'kill' && by === 'auto') {
          // Kill costs nothing, so an approval no person gave (--approve all) would take it whenever a
          // model ranks it first: it never ends a session that way. Frozen instead, saying why.
          const why = `the Director proposed to stop (${offered.justification}); an automatic approval does not kill a session, so it is frozen for a person to decide`;
          await this.recordDecision(offered, 'vetoed', by, AUTO_KILL_REFUSED);
          yield { event: 'decision', proposal_id: pid, decision: 'vetoed', by, note: AUTO_KILL_REFUSED };
          await this.recordFreeze(why);
          return ending('FROZEN', why);
        }
        if (c.action === 'kill') {
          await this.recordDecision(offered, 'approved', by, null);
          yield { event: 'decision', proposal_id: pid, decision: 'approved', by, note: null };
          return ending('KILLED', `the Director proposed to stop: ${offered.justification}`);
        }
        const preapproved = decision.preapproved ?? null;
        if (c.action === 'promote' && by === 'auto' && preapproved === null) {
          // Promotion opens the one-shot holdout and ends the session: an approval no person gave
          // (--approve all) never takes it. The proposal waits, unanswered and unpaid, for a person.
          throw new Suspend(`the Director proposes to promote the strategy (its one-look confirmation, which ends the session), and an automatic approval never approves a terminal decision, so the session is SUSPENDED with the proposal pending and nothing spent for it: run 'gauntlet resume ${this.session}' to decide it yourself, or pre-approve promotions up front with --approve all+promote.`);
        }
        const detail = this.precheck(c.action, offered.detail); // an invariant refuses the step before anything is paid
        yield { event: 'decision', proposal_id: pid, decision: 'approved', by, note: preapproved };
        const frozen = yield* this.spend(offered, by, preapproved);
        if (frozen !== null) return frozen;
        const end = yield* this.execute(c.action, detail);
        if (end !== null) return end;
        acted = true;
        break;
      }
      if (!acted) continue; // every offer vetoed: the next round excludes them
    }
    return ending('FROZEN', `stopped after ${maxRounds} Director rounds`);
  }

  /**
   * The stratified starter screen: one initial backtest, then the rest of the draw as one add_symbol.
   * The draw goes to the ledger (seed, segments, symbols), so a replay can show it reproduced it.
   */
  private async initialProposals(): Promise<CandidateProposal[] | Ending> {
    const { policy, engine, budget } = this.d;
    const sel = policy.initialSelection(this.state.meta, engine.universe(), this.state.drawSeed);
    const [first, ...rest] = sel.symbols;
    if (first === undefined) return ending('FROZEN', `no symbol of the universe fits ${this.state.meta.market_type}`);
    this.state.phase = { kind: 'start', rest };
    await this.journal.record('screen:draw', this.state.specId, { seed: this.state.drawSeed, interval: sel.interval, segments: sel.segments.map((d) => ({ segment: d.segment, symbols: [...d.symbols] })) });
    return [{
      id: `initial:${first}@${sel.interval}`,
      action: 'initial_backtest',
      detail: { symbols: [first], interval: sel.interval },
      cost: budget.config.prices.initial_backtest,
      rationale: `first backtest of the spec on ${first} ${sel.interval} (${this.state.meta.style}, ${this.state.meta.holding_period} holding)`,
    }];
  }

  private async recordFreeze(why: string): Promise<void> {
    await this.journal.record('freeze', this.state.specId, { reason: why, balance: this.state.balance });
  }

  private async recordDecision(p: OfferedProposal, decision: 'approved' | 'vetoed' | 'killed', by: 'user' | 'auto', note: string | null): Promise<void> {
    await this.journal.decision(this.state.specId, p, quantityOf(p), decision, by, note);
  }

  /** The invariants an approved step must satisfy, checked before its credits are spent: its row of the action table. */
  private precheck<A extends Action>(action: A, detail: unknown): DetailOf<A> {
    const d = parseDetail(action, detail);
    handlerOf(action).precheck(this, d);
    return d;
  }

  /** I6: the proposal, its approval and the spend land in one atomic write, or none of them do. A refused spend freezes the session. */
  private async *spend(p: OfferedProposal, by: 'user' | 'auto', preapproved: string | null = null): AsyncGenerator<ResearchEvent, Ending | null> {
    const result = await this.journal.spend(this.state.specId, p, quantityOf(p), by, preapproved);
    if (result.res.status === 'FROZEN') return ending('FROZEN', result.res.reason);
    this.spent += result.res.cost;
    this.state.balance = result.res.balance;
    yield { event: 'spend', seq: result.entry.seq, action: p.action, cost: result.res.cost, balance: result.res.balance };
    return null;
  }

  /**
   * ⑥ Engine → ⑦ Gates → ⑧ Reviewer for one approved action: its row of the action table, then the
   * judgement it asks for, which the Reviewer always sees (a FAIL included). Returns the ending, if any.
   */
  private async *execute<A extends Action>(action: A, detail: DetailOf<A>): AsyncGenerator<ResearchEvent, Ending | null> {
    const after = yield* handlerOf(action).execute(this, detail);
    if (isEnding(after)) return after;
    if (after === 'wait') return null;
    const end = yield* this.judgeAll();
    yield* this.review();
    return end;
  }

  async *runKeys(keys: SeriesKey[]): AsyncGenerator<ResearchEvent, void> {
    yield* this.stage('engine', 'running', keys.map(seriesKeyText).join(' '));
    for (const [done, key] of keys.entries()) {
      yield { event: 'progress', keys, done };
      const run = this.d.engine.backtest(this.state.spec, key, 'visible');
      this.state.keys.push(key);
      this.state.runs.push(run);
      const runId = await this.recordRun(run, 'backtest');
      yield { event: 'run', key, segment: 'visible', metrics: run.metrics, run_id: runId, ...(run.gross === undefined ? {} : { gross: run.gross }) };
    }
    yield* this.stage('engine', 'done');
  }

  private async recordRun(run: SeriesRun, kind: string): Promise<string> {
    const rid = await this.journal.run(this.state.specId, paramValues(this.state.spec), run, kind);
    this.runCount += 1;
    return rid;
  }

  private holdoutOpenedBefore(): boolean {
    const ids = new Set(this.d.store.list('specs').filter((r) => r.logic_hash === this.state.logicHash).map((r) => r.id));
    return this.d.store.ledger().some((e) => e.action === 'holdout:open'
      && (e.payload.logic_hash === this.state.logicHash || (e.spec_id !== undefined && ids.has(e.spec_id))));
  }

  /** Ledger trials of this spec family (same logic hash): DSR's N. */
  private familyTrials(): number[] {
    return this.d.store.ledger()
      .filter((e: LedgerEntry) => e.kind === 'trial' && e.payload.logic_hash === this.state.logicHash && typeof e.payload.sharpe === 'number')
      .map((e) => e.payload.sharpe as number);
  }

  /**
   * Trials go to the ledger with what the effective-N count needs (trials.ts): the data they ran on
   * (universe, interval), the weight of a correlated batch, and the bars a fold trial was measured on.
   */
  private async recordTrials(trials: TrialRecord[], source: string, weight = 1): Promise<void> {
    const universe = typeof this.d.provenance?.universe === 'string' ? this.d.provenance.universe : null;
    await this.journal.trials(this.state.specId, { logicHash: this.state.logicHash, universe, interval: this.state.interval }, trials, source, weight);
    this.trialCount += trials.length;
  }

  /** Symbols in the research scope: the spec's market at the tested interval, narrowed by constrain_universe. */
  private scopeSymbols(): number {
    return Math.max(this.scope().length, new Set(this.state.keys.map((k) => k.symbol)).size, 1);
  }

  /** The universe's symbols in the research scope: the spec's market at the tested interval, narrowed by constrain_universe. */
  private scope(): UniverseSymbol[] {
    const s = this.state;
    return this.d.engine.universe().symbols()
      .filter((u) => u.market_type === s.meta.market_type && (s.interval === null || u.intervals.includes(s.interval)))
      .filter((u) => s.constrainedTo === null || s.constrainedTo.includes(u.sector));
  }

  /**
   * ⑦ Every gate that judges runs, in order, each recorded; the first FAIL kills the strategy. A gate
   * that is INSUFFICIENT leaves the strategy alive and tells the Director what evidence is missing.
   */
  private async *judgeAll(): AsyncGenerator<ResearchEvent, Ending | null> {
    const s = this.state;
    if (s.runs.length === 0) return null;
    yield* this.stage('gates', 'running');
    if (this.causality === null) {
      const k = s.keys[0]!;
      this.causality = this.d.engine.causality(s.spec, k, CAUSALITY_CUTS, this.d.seed);
    }
    if (!reached(s, 'optimized')) {
      // The spec as written is one trial; the optimiser records its own.
      const already = this.familyTrials().length > 0 && this.trialCount > 0;
      if (!already) await this.recordTrials([{ params: paramValues(s.spec), sharpe: this.d.judge.pooledSharpe(s.runs) }], 'backtest');
    }
    const judgedBars = s.runs.reduce((m, r) => Math.max(m, r.time.length - 1), 0);
    const universe = typeof this.d.provenance?.universe === 'string' ? this.d.provenance.universe : null;
    const counted = trialCounts(this.d.store.ledger(), { logicHash: s.logicHash, universe, interval: s.interval }, judgedBars);
    // A narrowed scope is the best of K segments: every trial counts K times (docs/director.md).
    const trials = s.selectionK <= 1 ? counted : {
      ...counted, storeN: counted.storeN * s.selectionK, familyN: counted.familyN * s.selectionK,
      how: `${counted.how}; × ${s.selectionK} for the constrain_universe selection among ${s.selectionK} segments`,
    };
    const verdicts = this.d.judge.judge({
      runs: s.runs, meta: s.meta, compile: s.compile, causality: this.causality,
      trials,
      scopeSymbols: this.scopeSymbols(), optimization: s.optimization, walkForward: s.walkForward, seed: this.d.seed,
    });
    const runIds: string[] = [];
    for (const v of verdicts) yield* this.recordVerdict(v, runIds);
    const table = this.d.policy.segments(s);
    yield s.constrainedTo === null ? { event: 'segments', table, constrained: null } : { event: 'segments', table, constrained: [...s.constrainedTo], selection_k: s.selectionK };
    const next = afterJudgement(verdicts, table, s.constrainedTo !== null);
    if (isEnding(next)) {
      yield* this.stage('gates', 'failed', verdicts.find((v) => v.verdict === 'FAIL')?.gate);
      return next;
    }
    s.phase = next;
    if (next.kind === 'diluted') {
      // A FAIL on the pooled scope while some segments (not all) hold Holm's test is the dilution a
      // narrower scope removes, not evidence against the edge where it lives: the verdict stands in the
      // record, and the Director offers the narrowing only. Declined or impossible, the FAIL kills.
      const { failure, holding } = next;
      const hold = `${holding.join(', ')} ${holding.length === 1 ? 'holds' : 'hold'}`;
      yield { event: 'note', text: `${failureReason(failure)} — on the pooled scope only: ${hold} Holm's test over the ${table.k} segments screened, so narrowing the scope is offered before the verdict is final` };
      yield* this.stage('gates', 'done', `pooled ${failure.gate} FAIL deferred: ${hold}`);
      return null;
    }
    if (verdicts.find((v) => v.gate === 'robustness')?.verdict === 'PASS') s.milestones.add('oos_passed');
    const open = verdicts.filter((v) => v.verdict === 'INSUFFICIENT');
    yield* this.stage('gates', 'done', open.length > 0 ? `insufficient: ${open.map((v) => v.gate).join(', ')}` : undefined);
    return null;
  }

  private async *recordVerdict(v: GateVerdict, runIds: string[]): AsyncGenerator<ResearchEvent, void> {
    this.state?.verdicts.set(v.gate, v);
    await this.journal.verdict(this.state?.specId, v, runIds);
    yield { event: 'gate', verdict: v };
  }

  /** ⑧ The Reviewer sees anonymised aggregates only and tries to reject; its words never decide anything. */
  private async *review(): AsyncGenerator<ResearchEvent, void> {
    yield* this.stage('reviewer', 'running');
    const input = this.d.policy.anonymise(this.state);
    const raw = await this.d.reviewer.review(input, this.agentOptions('reviewer'));
    const parsed = ReviewSchema.safeParse(raw.value);
    const base = parsed.success ? parsed.data : { diagnosis: '(the reviewer\'s reply was unreadable and was discarded)', intent_match: 'partly' as const, unsupported_numbers: [] };
    // The loop checks the numbers itself: a reviewer's own flags are not trusted either way.
    const value = { ...base, unsupported_numbers: this.d.policy.unsupportedNumbers(base.diagnosis, input) };
    const out = { source: raw.source, value };
    await this.journal.review(this.state.specId, out.source, raw.transcripts?.at(-1) ?? null, { ...value });
    this.state.milestones.add('reviewed');
    yield { event: 'review', source: out.source, diagnosis: out.value.diagnosis, intent_match: out.value.intent_match, unsupported_numbers: out.value.unsupported_numbers };
    yield* this.stage('reviewer', 'done', out.source);
  }

  async *optimize(action: 'optimize' | 'reoptimize'): AsyncGenerator<ResearchEvent, void> {
    const s = this.state; // I4 was checked by precheck, before the spend
    yield* this.stage('engine', 'running', `${action} on ${s.keys.length} series`);
    const result = await this.d.engine.optimize(s.spec, s.keys, { method: 'random', trials: 60, seed: this.d.seed + this.counter });
    // An optimiser's trials are near copies of each other: the batch counts as its effective rank (trials.ts).
    await this.recordTrials(result.trials.map((t) => ({ params: t.params, sharpe: t.sharpe })), action, batchWeight(result.returns));
    yield { event: 'trials', count: result.trials.length, total_for_family: this.familyTrials().length, best: result.best };
    s.optimization = result;
    s.milestones.add(action === 'reoptimize' ? 'reoptimized' : 'optimized');
    yield* this.newVersion(result.best);
    const keys = s.keys;
    s.keys = [];
    s.runs = [];
    yield* this.runKeys(keys);
  }

  /** A new spec version with new param values; I1: after the first review only params may change. */
  private async *newVersion(values: Record<string, number>): AsyncGenerator<ResearchEvent, void> {
    const s = this.state;
    const next: Spec = deepFreeze({
      ...JSON.parse(JSON.stringify(s.spec)) as Spec,
      parent: s.specId,
      params: Object.fromEntries(Object.entries(s.spec.params).map(([k, p]) => [k, { ...p, value: values[k] ?? p.value }])),
    });
    if (reached(s, 'reviewed') && logicHash(next) !== s.logicHash) throw new InvariantError('I1', 'the logic changed after the first review; only params may change');
    for (const [name, p] of Object.entries(next.params)) {
      const problem = paramProblem(name, p, p.value);
      if (problem !== null) throw new InvariantError('I1', `only params may change, and only within their declared ranges: ${problem}`);
    }
    const report = this.d.engine.compile(next);
    if (report.complexity.indicators !== s.compile.complexity.indicators) throw new InvariantError('I2', 'an indicator was added after compile');
    const nid = specId(next);
    await this.journal.version(next, s.specId);
    yield { event: 'spec_version', spec_id: nid, parent: s.specId, params: paramValues(next) };
    s.spec = next;
    s.specId = nid;
    this.causality = null;
  }

  async *walkForward(mode: 'rolling' | 'anchored'): AsyncGenerator<ResearchEvent, void> {
    const s = this.state;
    yield* this.stage('engine', 'running', `walk-forward (${mode}) on ${s.keys.length} series`);
    const wf = await this.d.engine.walkForward(s.spec, s.keys, { mode, folds: 4, trials: 30, seed: this.d.seed + this.counter });
    // Every trial of every fold's search is a trial of this family (stats.md §7), at its per-bar Sharpe.
    // Each fold's trials were measured on its training window: their bars let Var{SR_n} rescale them (trials.ts).
    const perFold = Math.max(1, Math.round(wf.trialSharpes.length / Math.max(1, wf.folds.length)));
    const time = s.runs[0]?.time ?? new Float64Array(0);
    const barsIn = (from: number, to: number): number => time.filter((t) => t >= from && t < to).length;
    await this.recordTrials(wf.trialSharpes.map((sharpe, i) => {
      const fold = wf.folds[Math.min(wf.folds.length - 1, Math.floor(i / perFold))];
      return { params: {}, sharpe, ...(fold === undefined ? {} : { bars: barsIn(fold.trainFrom, fold.trainTo) }) };
    }), 'walk_forward');
    s.walkForward = wf;
    yield { event: 'note', text: `walk-forward efficiency ${formatNumber(wf.efficiency, 'ratio')} over ${wf.folds.length} folds` };
    yield* this.stage('engine', 'done');
  }

  /**
   * An approved download (docs/director.md): the engine fetches the bars into the universe, and the ledger
   * records what came from where — source, interval, range, and per series the bars fetched and the file's
   * sha256, which a replay checks instead of fetching. A failure (offline: "no network: use data import")
   * is recorded and said; the proposal is not offered again and the session goes on without those bars.
   */
  async *download(d: DetailOf<'download'>): AsyncGenerator<ResearchEvent, void> {
    const s = this.state;
    yield* this.stage('engine', 'running', `download ${d.fetch} bars of ${d.symbols.join(' ')} from ${d.source}`);
    const port = this.d.engine.download?.bind(this.d.engine);
    const got = port === undefined
      ? { ok: false as const, reason: 'this universe cannot download', source: d.source, interval: d.fetch, from: '', to: '', series: [] }
      : await port({ symbols: [...d.symbols], interval: d.fetch, source: d.source });
    const { ok: _ok, ...payload } = got;
    const record: DownloadRecord = { status: got.ok ? 'done' : 'failed', wanted: d.interval, symbols: [...d.symbols], ...payload };
    await this.journal.record('data:download', s.specId, record);
    if (!got.ok) {
      this.downloadFailure = got.reason;
      s.vetoed.add(`download:${d.from}->${d.interval}`);
      yield { event: 'note', text: `download failed, nothing was charged: ${got.reason}; the research goes on without ${d.interval} bars` };
      yield* this.stage('engine', 'failed', 'download');
      return;
    }
    const fetched = got.series.reduce((n, x) => n + x.fetched, 0);
    yield { event: 'note', text: `downloaded ${fetched} ${got.interval} bars from ${got.source} (${got.series.map((x) => `${x.symbol} ${x.bars}`).join(', ')}; ${got.from.slice(0, 10)} .. ${got.to.slice(0, 10)}): ${d.interval} can be tested now` };
    yield* this.stage('engine', 'done');
  }

  async *regimes(): AsyncGenerator<ResearchEvent, void> {
    const s = this.state;
    yield* this.stage('engine', 'running', 'regime labels');
    const labels = s.keys.map((k) => this.d.engine.regimes(k, 'visible'));
    s.regimeFacts = this.d.policy.regimeFacts(s.runs, labels);
    s.milestones.add('regime_checked');
    for (const f of s.regimeFacts) yield { event: 'note', text: f };
    yield* this.stage('engine', 'done');
  }

  /**
   * The confirmation (docs/gates.md; I5): the registration goes to the ledger first — spec, scope,
   * interval, the fresh symbols, the holdout's symbols, α — then the two legs run on data the session
   * never saw: the fresh symbols over the visible window, and the sealed holdout after the common cut
   * date for every scope symbol that has one. One look: the verdict is PASS (PROMOTED) or FAIL (DEAD).
   */
  async *promote(detail: PromoteDetail): AsyncGenerator<ResearchEvent, Ending> {
    const s = this.state; // I5 (every gate passed, reviewed, holdout still sealed) was checked by precheck
    const interval = s.interval!;
    const view = this.d.engine.universe();
    const screened = [...new Set(s.keys.map((k) => k.symbol))];
    // Every scope symbol with a holdout of at least two bars: the sealed data of the whole scope, not only what was screened.
    const held = this.scope().map((u) => u.symbol).filter((symbol) => view.sealedBars({ symbol, interval }) >= 2);
    const alpha = 0.05;
    const minT = this.d.judge.confirmationMinT;
    const freshSkipped = detail.fresh.length === 0 ? 'the scope has too few untested symbols for the minimum sample; the holdout leg alone decides' : null;
    const entry = await this.journal.register(s.specId, {
      logic_hash: s.logicHash, params: paramValues(s.spec), interval, segments: [...detail.segments], screened, fresh: [...detail.fresh],
      fresh_skipped: freshSkipped, holdout_symbols: held, alpha, min_t: minT, gate_version: this.d.judge.version,
    }, held.map((symbol) => `${symbol}@${interval}`), s.logicHash);
    s.milestones.add('holdout_opened');
    yield { event: 'registration', registration: { seq: entry.seq, spec_id: s.specId, interval, segments: [...detail.segments], screened, fresh: [...detail.fresh], fresh_skipped: freshSkipped, holdout_symbols: held, min_t: minT, alpha } };

    const fresh = yield* this.runLeg('fresh', detail.fresh.map((symbol) => ({ symbol, interval })), 'visible');
    const sealed = yield* this.runLeg('holdout', held.map((symbol) => ({ symbol, interval })), 'holdout');
    const v = this.d.judge.confirmation(fresh, sealed);
    yield* this.recordVerdict(v, []);
    if (v.verdict !== 'PASS') return ending('DEAD', `confirmation failed — ${failureReason(v)}`);
    const promotionId = this.id('promo');
    const stable = detail.stable_across;
    const promotion = { id: promotionId, session: this.session, spec_id: s.specId, promoted_at: this.ts(), all_gates_passed: true as const, holdout_opened: true as const, stable_across: stable };
    const libId = this.id('lib');
    await this.journal.promote(promotion, { id: libId, spec: s.specId, payload: { name: s.spec.name, keys: s.keys.map(seriesKeyText), stable_across: stable } });
    this.libraryEntry = libId;
    const t = v.checks.find((c) => c.name === 'confirmation_t')?.value;
    return ending('PROMOTED', `every screening gate passed and the confirmation held (t ${t === null || t === undefined ? 'n/a' : formatNumber(t, 'tstat')} ≥ ${minT} on ${v.sample.trades ?? 0} trades: ${detail.fresh.length} fresh symbol(s) and the holdout of ${held.length}); added to the candidate library as ${libId}`);
  }

  /** One confirmation leg: its runs, each recorded, and a summary event. */
  private async *runLeg(leg: 'fresh' | 'holdout', keys: SeriesKey[], segment: 'visible' | 'holdout'): AsyncGenerator<ResearchEvent, SeriesRun[]> {
    const runs: SeriesRun[] = [];
    if (keys.length > 0) yield* this.stage('engine', 'running', leg === 'fresh' ? `confirmation: ${keys.length} fresh symbol(s)` : `confirmation: the sealed holdout of ${keys.length} symbol(s)`);
    for (const [done, key] of keys.entries()) {
      yield { event: 'progress', keys, done };
      const run = this.d.engine.backtest(this.state.spec, key, segment);
      runs.push(run);
      const runId = await this.recordRun(run, leg === 'fresh' ? 'confirmation:fresh' : 'holdout');
      yield { event: 'run', key, segment, metrics: run.metrics, run_id: runId, ...(run.gross === undefined ? {} : { gross: run.gross }) };
    }
    if (keys.length === 0) return runs; // a skipped leg: the registration said why
    yield* this.stage('engine', 'done');
    const sample = excessSample(runs);
    const first = runs.reduce((m, r) => Math.min(m, r.time[0] ?? Infinity), Infinity);
    yield { event: 'confirmation_leg', leg: { leg, symbols: runs.length, trades: sample.count, mean_excess: meanExcess(sample), from: Number.isFinite(first) ? new Date(first).toISOString() : null } };
    return runs;
  }
}

type PromoteDetail = DetailOf<'promote'>;

/** The units a proposal's price covers: symbols for add_symbol, fresh symbols for promote (budget/proposal.ts). */
function quantityOf(p: CandidateProposal): number {
  if (p.action === 'promote') return parseDetail('promote', p.detail).fresh.length;
  if (p.action !== 'add_symbol') return 1;
  const symbols = (p.detail as { symbols?: unknown[] }).symbols;
  return Array.isArray(symbols) && symbols.length > 0 ? symbols.length : 1;
}

function paramValues(spec: Spec): Record<string, number> {
  return Object.fromEntries(Object.entries(spec.params).map(([k, p]) => [k, p.value]));
}
