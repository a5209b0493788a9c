import type { Budget, SessionMode } from '../budget/budget.ts';
import type { Promotion } from '../budget/promotion.ts';
import { UserError } from '../errors.ts';
import type { z } from 'zod';
import type { LedgerEntry, LedgerPayloadSchema } from '../ledger/schema.ts';
import { tradesToArtifact } from '../report/trades-artifact.ts';
import { logicHash, paramsHash, specId } from '../spec/hash.ts';
import type { Spec } from '../spec/schema.ts';
import type { Store } from '../store/store.ts';
import type { FinalStatus, OfferedProposal } from './events.ts';
import type { SessionRecord } from '../store/schema.ts';
import { sessionRecordsDigest } from '../store/record-digest.ts';
import type { StoreTx } from '../store/transaction.ts';
import { failureReason, insufficiencyReason, type GateVerdict } from './gate.ts';
import type { SeriesRun } from './run.ts';

type Tx = Parameters<Parameters<Store['transaction']>[0]>[0];
/** A JSON payload, as the ledger and the store records hold them. */
type Payload = z.infer<typeof LedgerPayloadSchema>;

/** A trial as the ledger keeps it (trials.ts reads them back for the effective N). */
export interface TrialRecord { params: Record<string, number>; sharpe: number; bars?: number }

/**
 * Every store write of a research session, each one atomic (docs/store.md): the loop decides, the
 * journal records. The loop's clock and id sequence are passed in, so the records — and a replay's —
 * carry the same times and ids whichever module writes them.
 */
export class Journal {
  private readonly proposalIds = new Map<OfferedProposal, string>();

  constructor(
    private readonly store: Store,
    private readonly budget: Budget,
    private readonly mode: SessionMode,
    readonly session: string,
    private readonly ts: () => string,
    private readonly id: (kind: string) => string,
  ) {}

  /** The spec stored, the session opened and its budget granted, the translation recorded: one write. */
  async open(spec: Spec, payload: Payload): Promise<void> {
    const id = specId(spec);
    const { budget } = this;
    await this.store.transaction((tx) => {
      tx.addSpec({ id, logic_hash: logicHash(spec), params_hash: paramsHash(spec), parent: spec.parent ?? null, created_at: this.ts(), spec: JSON.parse(JSON.stringify(spec)) });
      tx.put('sessions', { id: this.session, created_at: this.ts(), updated_at: this.ts(), status: 'RUNNING', mode: this.mode, spec_id: id, reason: null, budget: { credits: budget.config.credits, prices: { ...budget.granted } } });
      tx.appendLedger({ ...budget.grant(tx.ledger(), this.session, this.ts()), spec_id: id });
      tx.appendLedger({ session: this.session, kind: 'record', action: 'translate', spec_id: id, ts: this.ts(), payload });
    });
  }

  /** A session left RUNNING by a process that died: closed as INTERRUPTED with the reason. */
  async interrupted(old: SessionRecord, reason: string): Promise<void> {
    await this.store.transaction((tx) => {
      tx.put('sessions', { ...old, status: 'INTERRUPTED', reason, updated_at: this.ts() });
      tx.appendLedger({ session: old.id, kind: 'record', action: 'status:INTERRUPTED', ts: this.ts(), payload: { reason, records: recordsDigest(tx, old.id) } });
    });
  }

  async finish(status: FinalStatus, reason: string, spec: string | undefined): Promise<void> {
    await this.store.transaction((tx) => {
      const s = tx.get('sessions', this.session)!;
      tx.put('sessions', { ...s, status, reason, spec_id: spec ?? s.spec_id, updated_at: this.ts() });
      // The closing entry binds the session's records to the hash chain (record-digest.ts).
      tx.appendLedger({ session: this.session, kind: 'record', action: `status:${status}`, spec_id: spec, ts: this.ts(), payload: { reason, records: recordsDigest(tx, this.session) } });
    });
  }

  /**
   * The user quit while a proposal waited: the session record says SUSPENDED. No ledger entry: the
   * ledger holds what was decided and spent, and a resume replays it to the same point (docs/sessions.md).
   */
  async suspend(reason: string): Promise<void> {
    await this.store.transaction((tx) => {
      const s = tx.get('sessions', this.session)!;
      tx.put('sessions', { ...s, status: 'SUSPENDED', reason, updated_at: this.ts() });
    });
  }

  /** A ledger record of the session (the screen's draw, a freeze …). */
  async record(action: string, spec: string, payload: Payload): Promise<LedgerEntry> {
    return await this.store.transaction((tx) => tx.appendLedger({ session: this.session, kind: 'record', action, spec_id: spec, ts: this.ts(), payload }));
  }

  async decision(spec: string, p: OfferedProposal, quantity: number, decision: 'approved' | 'vetoed' | 'killed', by: 'user' | 'auto', note: string | null): Promise<void> {
    await this.store.transaction((tx) => {
      this.appendProposal(tx, spec, p, quantity);
      tx.append('decisions', { id: this.id('d'), session: this.session, proposal_id: this.proposalRecordId(p), created_at: this.ts(), decision, by, note, ledger_seq: null });
    });
  }

  /** I6: the proposal, its approval and the spend land in one atomic write, or none of them do. */
  /** `preapproved`: how a person approved this step up front (a flag); kept in the ledger entry and as the decision's note. */
  async spend(spec: string, p: OfferedProposal, quantity: number, by: 'user' | 'auto', preapproved: string | null = null): Promise<{ res: ReturnType<Budget['spend']>; entry: LedgerEntry }> {
    return await this.store.transaction((tx) => {
      const res = this.budget.spend(tx.ledger(), {
        session: this.session, proposal_id: this.proposalRecordId(p), mode: this.mode, spec_id: spec, ts: this.ts(),
        proposal: { action: p.action, quantity, cost: p.cost, expected_information_gain: p.expected_information_gain, justification: p.justification },
        approval: { by, decision: 'approved' },
      });
      this.appendProposal(tx, spec, p, quantity);
      // The why and the who of every spend stay in the ledger itself (I6), not only in the proposal record.
      const entry = tx.appendLedger({ ...res.entry, payload: { ...(res.entry.payload ?? {}), candidate: p.id, justification: p.justification, source: p.source, ...(preapproved === null ? {} : { preapproved }) } });
      tx.append('decisions', { id: this.id('d'), session: this.session, proposal_id: this.proposalRecordId(p), created_at: this.ts(), decision: 'approved', by, note: preapproved, ledger_seq: res.status === 'approved' ? entry.seq : null });
      return { res, entry };
    });
  }

  /** A run and its artifacts (equity curve, trade list); returns the run record's id. */
  async run(spec: string, params: Record<string, number>, run: SeriesRun, kind: string): Promise<string> {
    const equity = await this.store.putArtifact(run.equity);
    const trades = await this.store.putArtifact(tradesToArtifact(run.trades));
    const rid = this.id('r');
    await this.store.transaction((tx) => {
      tx.append('runs', {
        id: rid, session: this.session, spec_id: spec, created_at: this.ts(), kind,
        symbols: [run.key.symbol], interval: run.key.interval, params,
        summary: { segment: run.segment, sector: run.sector, bars: run.time.length, metrics: { ...run.metrics } },
        artifacts: { equity, trades },
      });
    });
    return rid;
  }

  /**
   * Trials go to the ledger with what the effective-N count needs (trials.ts): the data they ran on
   * (universe, interval), the weight of a correlated batch, and the bars a fold trial was measured on.
   */
  async trials(spec: string, family: { logicHash: string; universe: string | null; interval: string | null }, trials: readonly TrialRecord[], source: string, weight: number): Promise<void> {
    await this.store.transaction((tx) => {
      for (const t of trials) {
        tx.appendLedger({
          session: this.session, kind: 'trial', action: 'trial', spec_id: spec, ts: this.ts(),
          payload: {
            logic_hash: family.logicHash, params: t.params, sharpe: t.sharpe, source, universe: family.universe, interval: family.interval, weight,
            ...(t.bars === undefined ? {} : { bars: t.bars }),
          },
        });
      }
    });
  }

  async verdict(spec: string | undefined, v: GateVerdict, runIds: string[]): Promise<void> {
    await this.store.transaction((tx) => {
      tx.append('gates', {
        id: this.id('g'), session: this.session, spec_id: spec ?? specIdFromSession(tx, this.session), created_at: this.ts(), gate: v.gate,
        verdict: v.verdict, config_version: v.config_version, run_ids: runIds,
        measured: { checks: JSON.parse(JSON.stringify(v.checks)), sample: { ...v.sample } },
        reason: v.verdict === 'FAIL' ? failureReason(v) : v.verdict === 'INSUFFICIENT' ? insufficiencyReason([v]) : null,
      });
      tx.appendLedger({ session: this.session, kind: 'record', action: `gate:${v.gate}`, spec_id: spec, ts: this.ts(), payload: { pass: v.pass, verdict: v.verdict, config_version: v.config_version } });
    });
  }

  async review(spec: string, source: string, transcript: string | null, payload: Payload): Promise<void> {
    await this.store.transaction((tx) => {
      tx.append('reviews', { id: this.id('v'), session: this.session, spec_id: spec, created_at: this.ts(), source, transcript_id: transcript, payload });
    });
  }

  /** A new spec version (params only, checked by the loop before). */
  async version(next: Spec, parent: string): Promise<void> {
    await this.store.transaction((tx) => {
      tx.addSpec({ id: specId(next), logic_hash: logicHash(next), params_hash: paramsHash(next), parent, created_at: this.ts(), spec: JSON.parse(JSON.stringify(next)) });
    });
  }

  /** The confirmation's registration, then the opening of the holdout: one write, registration first (I5). */
  async register(spec: string, payload: Payload, holdoutKeys: string[], logic: string): Promise<LedgerEntry> {
    return await this.store.transaction((tx) => {
      const reg = tx.appendLedger({ session: this.session, kind: 'record', action: 'confirmation:register', spec_id: spec, ts: this.ts(), payload });
      tx.appendLedger({ session: this.session, kind: 'record', action: 'holdout:open', spec_id: spec, ts: this.ts(), payload: { keys: holdoutKeys, logic_hash: logic } });
      return reg;
    });
  }

  /** The promotion: the budget's reset and the library entry, one write. */
  async promote(promotion: Promotion, library: { id: string; spec: string; payload: Payload }): Promise<void> {
    await this.store.transaction((tx) => {
      tx.appendLedger(this.budget.resetByPromotion(tx.ledger(), promotion));
      tx.put('library', { id: library.id, spec_id: library.spec, session: this.session, added_at: this.ts(), promotion_id: promotion.id, payload: library.payload });
    });
  }

  private proposalRecordId(p: OfferedProposal): string {
    let pid = this.proposalIds.get(p);
    if (pid === undefined) {
      pid = this.id('p');
      this.proposalIds.set(p, pid);
    }
    return pid;
  }

  private appendProposal(tx: Tx, spec: string, p: OfferedProposal, quantity: number): void {
    tx.append('proposals', {
      id: this.proposalRecordId(p), session: this.session, spec_id: spec, created_at: this.ts(), source: p.source,
      action: p.action, quantity, cost: p.cost, expected_information_gain: p.expected_information_gain, justification: p.justification,
      payload: { candidate: p.id, detail: JSON.parse(JSON.stringify(p.detail)) },
    });
  }
}

function specIdFromSession(tx: { get: Store['get'] }, session: string): string {
  const s = tx.get('sessions', session);
  if (s?.spec_id === null || s?.spec_id === undefined) throw new UserError(`session ${session} has no spec`);
  return s.spec_id;
}

/** The digest of a session's records as the transaction leaves them. */
function recordsDigest(tx: StoreTx, session: string): string {
  return sessionRecordsDigest({
    sessions: tx.list('sessions'), proposals: tx.list('proposals'), decisions: tx.list('decisions'), runs: tx.list('runs'),
    gates: tx.list('gates'), reviews: tx.list('reviews'), transcripts: tx.list('transcripts'), library: tx.list('library'),
  } as Parameters<typeof sessionRecordsDigest>[0], session);
}
