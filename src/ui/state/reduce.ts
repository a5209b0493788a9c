import { STAGES, type LiveEvent, type ResearchEvent, type Stage } from '../../core/research/events.ts';
import { seriesKeyText } from '../../core/research/run.ts';
import { closeIteration, proposalText } from './history.ts';
import type { ConsoleData, EngineKeyView, HistoryItem, Iteration, StageStatus } from './types.ts';
import { formatNumber } from '../../core/format/numbers.ts';

/**
 * Loop events → console state. Pure: the same events give the same state, so every pane can be
 * tested from a recorded event list, and the store (store.ts) only applies what this returns.
 */

export function initialStages(): ConsoleData['stages'] {
  return Object.fromEntries(STAGES.map((s) => [s, { status: 'pending' as StageStatus }])) as ConsoleData['stages'];
}

/** The per-session part of the state, as it is before a session's first event. */
export function emptySession(): Pick<ConsoleData,
  'session' | 'idea' | 'balance' | 'spent' | 'stages' | 'translator' | 'spec' | 'specHashes' | 'specChanges' | 'compiler' | 'director' | 'engine'
  | 'equity' | 'gates' | 'segments' | 'confirmation' | 'reviewer' | 'decision' | 'inbox' | 'ledger' | 'current' | 'final' | 'error' | 'killRequested'> {
  return {
    session: null,
    idea: '',
    balance: null,
    spent: 0,
    stages: initialStages(),
    translator: { source: null, summary: null, warnings: [], stream: '' },
    spec: null,
    specHashes: null,
    specChanges: [],
    compiler: null,
    director: { source: null, offers: [], stream: '', fresh: true },
    engine: { keys: [], detail: null, runs: 0, trials: 0, notes: [], last: null },
    equity: null,
    gates: [],
    segments: null,
    confirmation: { registration: null, legs: [] },
    reviewer: { source: null, diagnosis: null, intentMatch: null, unsupported: [], stream: '' },
    decision: { proposal: null, decision: null, by: null, note: null, cost: null, auto: false },
    inbox: { pending: null, note: '', autoNote: null },
    ledger: [],
    current: null,
    final: null,
    error: null,
    killRequested: false,
  };
}


function withStage(s: ConsoleData, stage: Stage, status: StageStatus, detail?: string): ConsoleData['stages'] {
  // A new Director round leaves the later stages as the last round left them: a review that was
  // done stays ✓ (its pane still shows it) until the Reviewer runs again.
  return { ...s.stages, [stage]: detail === undefined ? { status } : { status, detail } };
}

/** Closes the running iteration (if any) into the history. */
function closed(s: ConsoleData, extra: HistoryItem[] = []): Pick<ConsoleData, 'history' | 'current'> {
  const items = s.current === null ? [] : [closeIteration(s.current)];
  return { history: [...s.history, ...items, ...extra], current: null };
}

function patchCurrent(s: ConsoleData, f: (it: Iteration) => Partial<Iteration>): Pick<ConsoleData, 'current'> | object {
  return s.current === null ? {} : { current: { ...s.current, ...f(s.current) } };
}

function runText(key: string, m: { trades: number; sharpe: number; avg_trade_return: number }): string {
  return `${key} ${m.trades} tr, Sharpe ${formatNumber(m.sharpe, 'sharpe')}, avg ${formatNumber(m.avg_trade_return, 'percent')}`;
}

export function reduceEvent(s: ConsoleData, e: ResearchEvent): Partial<ConsoleData> {
  switch (e.event) {
    case 'session':
      return {
        session: { id: e.session, seed: e.seed, budget: e.budget }, balance: e.budget, spent: 0,
        current: { id: `${e.session}-setup`, title: `session ${e.session} · seed ${e.seed} · ${e.budget} credits`, runs: [], gates: [], review: null, notes: [] },
      };
    case 'stage': {
      const out: Partial<ConsoleData> = { stages: withStage(s, e.stage, e.status, e.detail) };
      if (e.stage === 'translator' && e.status === 'running') out.translator = { ...s.translator, stream: '' };
      if (e.stage === 'reviewer' && e.status === 'running') out.reviewer = { ...s.reviewer, stream: '' };
      // The last round's offers stay in view until the new round offers something.
      if (e.stage === 'director' && e.status === 'running') out.director = { ...s.director, stream: '', fresh: true };
      if (e.stage === 'director' && e.status === 'done') out.director = { ...(out.director ?? s.director), source: e.detail ?? s.director.source };
      if (e.stage === 'engine' && e.status === 'running') out.engine = { ...s.engine, detail: e.detail ?? null };
      if (e.stage === 'gates' && e.status === 'running') out.gates = s.gates.filter((g) => g.gate === 'complexity');
      return out;
    }
    case 'translation':
      return {
        translator: { source: e.source, summary: e.summary, warnings: e.warnings, stream: '' },
        specHashes: { id: e.spec_id, logic: e.logic_hash, params: e.params_hash, name: e.name },
        ...patchCurrent(s, (it) => ({ title: `${it.title} · spec ${e.name} ${e.spec_id.slice(0, 8)} (${e.source})` })),
      };
    case 'compiled':
      return { compiler: e.report };
    case 'proposal': {
      const decisionStage = { ...s.stages, decision: { status: 'running' as StageStatus, detail: e.proposal.action } };
      return {
        ...closed(s),
        stages: decisionStage,
        director: { ...s.director, offers: s.director.fresh ? [e.proposal] : [...s.director.offers, e.proposal], fresh: false },
        decision: { proposal: e.proposal, decision: null, by: null, note: null, cost: e.proposal.cost, auto: false },
      };
    }
    case 'decision': {
      const offers = s.director.offers.map((o) => (o.id === e.proposal_id ? { ...o, decision: e.decision, note: e.note } : o));
      const p = s.director.offers.find((o) => o.id === e.proposal_id) ?? s.decision.proposal;
      const what = p === null ? e.proposal_id : `${proposalText(p)} · ${p.cost} cr`;
      const n = s.history.length + 1;
      const auto = s.decision.auto && s.decision.proposal?.id === e.proposal_id;
      const base: Partial<ConsoleData> = {
        director: { ...s.director, offers },
        decision: { ...s.decision, decision: e.decision, by: e.by, note: e.note, auto },
        stages: { ...s.stages, decision: { status: 'done', detail: e.decision } },
      };
      if (e.decision === 'approved') {
        return { ...base, current: { id: `${s.session?.id ?? ''}-i${n}`, title: `▸ ${what} · approved by ${auto ? 'standing approval' : e.by}`, runs: [], gates: [], review: null, notes: [] } };
      }
      const mark = e.decision === 'vetoed' ? '×' : '✗';
      const item = { id: `${s.session?.id ?? ''}-i${n}`, lines: [`${mark} ${what} · ${e.decision} by ${e.by}${e.note !== null ? `: ${e.note}` : ''}`] };
      return { ...base, history: [...s.history, item] };
    }
    case 'spend':
      return {
        balance: e.balance,
        spent: s.spent + e.cost,
        ...patchCurrent(s, (it) => ({ title: `${it.title} · ledger #${e.seq} −${e.cost} → ${e.balance} left` })),
      };
    case 'progress': {
      const prev = new Map(s.engine.keys.map((k) => [k.key, k]));
      const keys: EngineKeyView[] = e.keys.map((k, i) => {
        const id = seriesKeyText(k);
        const old = prev.get(id);
        if (i < e.done) return old?.state === 'done' ? old : { key: id, state: 'done' };
        return { key: id, state: i === e.done ? 'running' : 'pending' };
      });
      return { engine: { ...s.engine, keys } };
    }
    case 'run': {
      const id = seriesKeyText(e.key);
      const label = e.segment === 'visible' ? id : `${id} ${e.segment}`;
      const found = s.engine.keys.some((k) => k.key === id);
      const keys = found
        ? s.engine.keys.map((k) => (k.key === id ? { key: id, state: 'done' as const, metrics: e.metrics } : k))
        : [...s.engine.keys, { key: id, state: 'done' as const, metrics: e.metrics }];
      return { engine: { ...s.engine, keys, runs: s.engine.runs + 1, last: { label, metrics: e.metrics, ...(e.gross === undefined ? {} : { gross: e.gross }) } }, ...patchCurrent(s, (it) => ({ runs: [...it.runs, runText(label, e.metrics)] })) };
    }
    case 'trials': {
      const text = `${e.count} trials (family ${e.total_for_family}), best ${Object.entries(e.best).map(([k, v]) => `${k}=${v}`).join(' ')}`;
      return { engine: { ...s.engine, trials: e.total_for_family, notes: [...s.engine.notes, text].slice(-4) }, ...patchCurrent(s, (it) => ({ notes: [...it.notes, text] })) };
    }
    case 'spec_version':
      return {
        specHashes: s.specHashes === null ? null : { ...s.specHashes, id: e.spec_id },
        ...patchCurrent(s, (it) => ({ notes: [...it.notes, `new spec version ${e.spec_id.slice(0, 8)} ${Object.entries(e.params).map(([k, v]) => `${k}=${v}`).join(' ')}`] })),
      };
    case 'gate': {
      const gates = [...s.gates.filter((g) => g.gate !== e.verdict.gate), e.verdict];
      // A verdict outside a judging (the holdout, at promotion) still moves the Gates stage; complexity is the compiler's.
      const outside = s.stages.gates.status !== 'running' && e.verdict.gate !== 'complexity';
      return {
        gates,
        ...(outside ? { stages: { ...s.stages, gates: { status: e.verdict.verdict === 'FAIL' ? 'failed' as const : 'done' as const, detail: e.verdict.gate } } } : {}),
        ...patchCurrent(s, (it) => ({ gates: [...it.gates.filter((g) => g.gate !== e.verdict.gate), e.verdict] })),
      };
    }
    case 'segments':
      return { segments: { table: e.table, constrained: e.constrained, ...(e.selection_k === undefined ? {} : { selectionK: e.selection_k }) } };
    case 'registration':
      return {
        confirmation: { registration: e.registration, legs: [] },
        ...patchCurrent(s, (it) => ({ notes: [...it.notes, `registered in the ledger (#${e.registration.seq}) before the confirmation opened`] })),
      };
    case 'confirmation_leg':
      return { confirmation: { ...s.confirmation, legs: [...s.confirmation.legs.filter((l) => l.leg !== e.leg.leg), e.leg] } };
    case 'review':
      return {
        reviewer: { source: e.source, diagnosis: e.diagnosis, intentMatch: e.intent_match, unsupported: e.unsupported_numbers, stream: '' },
        ...patchCurrent(s, () => ({ review: `(${e.source}, intent ${e.intent_match}) ${e.diagnosis}` })),
      };
    case 'note':
      return { engine: { ...s.engine, notes: [...s.engine.notes, e.text].slice(-4) }, ...patchCurrent(s, (it) => ({ notes: [...it.notes, e.text] })) };
    case 'status': {
      const verdict = { id: `${s.session?.id ?? ''}-final`, lines: [`■ ${e.status}: ${e.reason}`] };
      // A stage still running when the verdict comes ended with it (the Director found nothing to offer, say).
      const stages = Object.fromEntries(Object.entries(s.stages).map(([k, v]) => [k, v.status === 'running' ? { status: 'done' as StageStatus, detail: e.status } : v])) as ConsoleData['stages'];
      return { ...closed(s, [verdict]), stages, final: { status: e.status, reason: e.reason } };
    }
    case 'suspended':
      // Not a verdict: the iteration so far goes to the scrollback with the way back in.
      return closed(s, [{ id: `${s.session?.id ?? ''}-suspended`, lines: [`‖ SUSPENDED: ${e.reason}`] }]);
    case 'summary':
      return {
        final: {
          status: e.status, reason: e.reason, credits_spent: e.credits_spent, trials: e.trials, runs: e.runs,
          ...(e.library_entry === undefined ? {} : { library_entry: e.library_entry }),
        },
      };
  }
}

/** Model text streaming in: shown in the role's pane until its result event replaces it. */
export function reduceLive(s: ConsoleData, e: LiveEvent): Partial<ConsoleData> {
  switch (e.role) {
    case 'translator': return { translator: { ...s.translator, stream: e.text } };
    case 'director': return { director: { ...s.director, stream: e.text } };
    case 'reviewer': return { reviewer: { ...s.reviewer, stream: e.text } };
  }
}
