import type { ResearchScope } from '../core/research/scope.ts';
import { recordedScope } from './scope-flags.ts';
import { versionedGateConfig, type VersionedGateConfig } from '../core/gates/config.ts';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { UserError } from '../core/errors.ts';
import { verifyRecords } from '../core/store/record-digest.ts';
import { Budget } from '../core/budget/budget.ts';
import { DEFAULT_COST_TABLE } from '../core/budget/cost-table.ts';
import type { LedgerEntry, LedgerEntryInput } from '../core/ledger/schema.ts';
import { AUTO_KILL_REFUSED, runResearch } from '../core/research/loop.ts';
import type { ApprovalDecision, ApproverPort } from '../core/research/ports.ts';
import type { ResearchEvent } from '../core/research/events.ts';
import { openStore, type Store } from '../core/store/store.ts';
import type { RecordOf, SessionRecord } from '../core/store/schema.ts';
import { transcriptText, type TranscriptText } from '../core/store/transcript-bodies.ts';

type DecisionRecord = RecordOf<'decisions'>;
import { displayDir, resolveDbDir } from '../core/store/paths.ts';
import type { StoreTx } from '../core/store/transaction.ts';
import { ReplayChatClient } from '../agents/ollama/replay-client.ts';
import { InvariantError } from '../core/invariants.ts';
import { replayAgents } from './replay-agents.ts';
import { openUniverse } from './data-source.ts';
import type { Io } from './io.ts';
import { researchDeps } from './research-wiring.ts';
import { DownloadRecordSchema, type DownloadRecord } from '../core/research/download-record.ts';

export interface ReplayOptions {
  db?: string | undefined;
  /** Overrides the data source the session recorded. */
  universe?: string | undefined;
  json: boolean;
  io: Io;
}

/** What a replay found, as `--json` prints it. */
export interface ReplayReport {
  session: string;
  identical: boolean;
  /** Ledger entries the original session wrote (its grant to its status record). */
  entries: number;
  replayed: number;
  first_difference: { seq: number; fields: string[]; recorded: LedgerEntry | null; replayed: LedgerEntry | null } | null;
  /** Model calls the replay made that the session never did (changed prompts, data or code). */
  transcript_mismatches: number;
  /** Recorded model calls the replay never asked for. */
  transcripts_unused: number;
  status: string | null;
  interrupted: boolean;
  /** Records of the session that no longer match the ledger's digest (an edited transcript, verdict, status or spec). */
  edited_records?: string[];
}

class DecisionsExhausted extends Error {}

/**
 * `gauntlet research --replay SESSION`: re-runs a recorded session without a model and checks that
 * it writes the same ledger, byte for byte. The replay runs in a scratch store rebuilt from the
 * ledger as it stood when the session began; the model's answers come from the session's
 * transcripts, the user's decisions from its decision records, and each ledger entry's wall-clock
 * `ts` from the recorded entry (time is a fact of the original run, not something to recompute).
 * Everything else — translation, proposals, backtests, gates, spends, hashes — is computed again.
 */
/** What a replay or a resume reads from the store about one session. */
export interface Recording {
  session: SessionRecord;
  block: SessionBlock;
  translate: LedgerEntry;
  seed: number;
  agents: string;
  idea: string;
  /** The session's model calls, every body read back as text (artifacts re-hashed on the way). */
  transcripts: TranscriptText[];
  decisions: DecisionRecord[];
  /** The universe directory the session ran on (undefined: the bundled data). */
  universeDir: string | undefined;
  provenance: Record<string, string | number | boolean | null>;
  /** Records of the session (or its spec) that no longer match the ledger's digest or id. */
  edited: string[];
}

/** Reads what re-running a session needs (`what`: the command, for the messages). */
export async function readRecording(original: Store, sessionId: string, dir: string, io: Io, what: string, universe?: string): Promise<Recording> {
  const session = original.get('sessions', sessionId);
  if (session === undefined) {
    const known = original.list('sessions').slice(-8).map((s) => s.id);
    throw new UserError(`${what}: no session "${sessionId}" in ${displayDir(dir, io.cwd)}`
      + `${known.length > 0 ? `\nRecent sessions: ${known.join(', ')} ('gauntlet sessions' lists them all)` : ' (the store has no sessions)'}`, 2);
  }
  // The session's records (its transcripts among them) must match the digest its closing ledger entry
  // holds, and its spec its id: a replay of edited records is never reported identical.
  const edited = verifyRecords(original.data)
    .filter((p) => p.record === `sessions/${sessionId}` || p.record === `specs/${session.spec_id ?? ''}`)
    .map((p) => `${p.record}: ${p.reason}`);
  const block = sessionBlock(original.ledger(), sessionId, dir);
  const translate = block.entries.find((e) => e.session === sessionId && e.action === 'translate');
  const recorded = translate?.payload as { idea_artifact?: unknown; seed?: unknown; agents?: unknown; universe?: unknown } | undefined;
  if (translate === undefined || recorded === undefined || typeof recorded.idea_artifact !== 'string' || typeof recorded.seed !== 'number') {
    throw new UserError(`session ${sessionId} was recorded without what a replay needs (the idea and the seed); only sessions run by this version can be replayed`, 2);
  }
  const idea = await original.readJsonArtifact(recorded.idea_artifact);
  if (typeof idea !== 'string') throw new UserError(`session ${sessionId}: its idea artifact is not text`, 3);
  const transcripts: TranscriptText[] = [];
  for (const t of original.list('transcripts').filter((x) => x.session === sessionId)) {
    try {
      transcripts.push(await transcriptText(t, (h) => original.readTextArtifact(h)));
    } catch (e) {
      // A body whose artifact is gone or altered: the replay goes on without that call (it then
      // differs), and the report names the file, as an edited record.
      if (!(e instanceof UserError)) throw e;
      edited.push(`transcripts/${t.id}: ${e.message}`);
    }
  }
  return {
    session, block, translate, seed: recorded.seed, agents: typeof recorded.agents === 'string' ? recorded.agents : 'rules', idea,
    transcripts,
    decisions: original.list('decisions').filter((d) => d.session === sessionId),
    universeDir: universe ?? (typeof recorded.universe === 'string' && recorded.universe !== 'bundled' ? recorded.universe : undefined),
    provenance: provenanceOf(translate.payload),
    edited,
  };
}

/**
 * `gauntlet research --replay SESSION`: re-runs a recorded session without a model and checks that
 * it writes the same ledger, byte for byte. The replay runs in a scratch store rebuilt from the
 * ledger as it stood when the session began; the model's answers come from the session's
 * transcripts, the user's decisions from its decision records, and each ledger entry's wall-clock
 * `ts` from the recorded entry (time is a fact of the original run, not something to recompute).
 * Everything else — translation, proposals, backtests, gates, spends, hashes — is computed again.
 * A session that was suspended and resumed has other sessions' entries between its own: they are
 * copied into the scratch ledger at the proposal where it was suspended, as the resume saw them.
 */
export async function runReplay(sessionId: string, o: ReplayOptions): Promise<number> {
  const { io } = o;
  const dir = resolveDbDir(o.db, io.env, io.cwd);
  const original = await openStore(dir, { readonly: true });
  const rec = await readRecording(original, sessionId, dir, io, 'gauntlet research --replay', o.universe);
  const { session, block } = rec;

  const scratch = mkdtempSync(join(tmpdir(), 'gauntlet-replay-'));
  try {
    const base = await openStore(scratch);
    try {
      await rebuildPrefix(base, original, block.start, block.reopened, sessionId);
      const client = new ReplayChatClient(rec.transcripts);
      const agents = replayAgents(rec.agents, client, rec.seed);
      const fill = gapFiller(original, base, sessionId);
      const deps = {
        ...researchDeps({
          universe: openUniverse(io, rec.universeDir), store: replayClock(base, block.own), approver: recordedDecisions(rec.decisions, { before: fill }),
          // An action added after the session has no recorded price; the session never proposed it, so the table's default stands in.
          seed: rec.seed, budget: new Budget({ credits: session.budget.credits, prices: { ...DEFAULT_COST_TABLE, ...session.budget.prices } }, session.budget.prices), mode: session.mode, io,
          ...recordedSettings(rec.provenance, sessionId),
          // The session's downloads come from its record (files checked by sha256), never from the network.
          downloads: { recorded: recordedDownloads(block.own, sessionId), live: false },
        }),
        translator: agents.translator, director: agents.director, reviewer: agents.reviewer,
        provenance: rec.provenance,
      };
      let status: string | null = null;
      try {
        for await (const e of runResearch(rec.idea, deps)) {
          status = e.event === 'status' ? e.status : status;
          if (!o.json) progress(io, e);
        }
      } catch (e) {
        // The original session stopped the same way (a refused spec, an invariant), or it was
        // interrupted and its recorded decisions ran out: either way the ledgers are compared.
        if (!(e instanceof DecisionsExhausted) && !(e instanceof UserError) && !(e instanceof InvariantError)) throw e;
      }
      const compared = compare(sessionId, block.entries, base.ledger().slice(block.start), client, status, session);
      const report: ReplayReport = { ...compared, identical: compared.identical && rec.edited.length === 0, edited_records: rec.edited };
      if (o.json) io.out(`${JSON.stringify(report)}\n`);
      else io.out(`${describe(report)}\n`);
      return report.identical ? 0 : 1;
    } finally {
      await base.close();
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

/** The session's `data:download` ledger records, in order: what a replay or a resume answers downloads with. */
export function recordedDownloads(entries: readonly LedgerEntry[], session: string): DownloadRecord[] {
  return entries.filter((e) => e.session === session && e.action === 'data:download').map((e) => {
    const r = DownloadRecordSchema.safeParse(e.payload);
    if (!r.success) {
      const issue = r.error.issues[0]!;
      throw new UserError(`ledger entry #${e.seq} (data:download of session ${session}): payload.${issue.path.join('.')}: ${issue.message}; this build cannot replay that download`, 3);
    }
    return r.data;
  });
}

export interface SessionBlock {
  /** Index in the ledger of the block's first entry. */
  start: number;
  /** The ledger from `start` to the session's last entry (other sessions' entries between a suspension and its resume included). */
  entries: LedgerEntry[];
  /** The entries the session itself wrote, in order: their times are the replay clock, their record digests the replay's. */
  own: LedgerEntry[];
  reopened: Set<string>;
}

/**
 * The session's ledger entries: from its grant (or the INTERRUPTED records it wrote for dead
 * sessions as it started) to its last entry. The store lock makes them one contiguous block, except
 * where the session was suspended: other sessions may have written between its suspension and its resume.
 */
export function sessionBlock(ledger: ReadonlyArray<LedgerEntry>, session: string, dir: string): SessionBlock {
  const first = ledger.findIndex((e) => e.session === session);
  if (first < 0) throw new UserError(`session ${session} has no ledger entries in ${dir}`, 2);
  let start = first;
  const reopened = new Set<string>();
  while (start > 0 && ledger[start - 1]!.action === 'status:INTERRUPTED' && ledger[start - 1]!.session !== session) {
    start -= 1;
    reopened.add(ledger[start]!.session);
  }
  let last = ledger.length - 1;
  while (last > first && ledger[last]!.session !== session) last -= 1;
  const entries = ledger.slice(start, last + 1);
  const own = entries.filter((e, i) => i < first - start || e.session === session);
  return { start, entries, own, reopened };
}

/**
 * Before each recorded decision: other sessions' entries that follow in the original ledger were
 * written while this session was suspended at that proposal; they go into the scratch ledger as
 * they are (with their sessions' records), so the rest of the session sees the store it saw.
 */
export function gapFiller(original: Store, base: Store, session: string): () => Promise<void> {
  return async () => {
    const ledger = original.ledger();
    const at = base.ledger().length;
    let end = at;
    while (end < ledger.length && ledger[end]!.session !== session) end += 1;
    if (end === at) return;
    const gap = ledger.slice(at, end);
    await base.transaction((tx: StoreTx) => {
      for (const id of new Set(gap.map((e) => e.session))) {
        const rec = original.get('sessions', id);
        if (rec !== undefined && tx.get('sessions', id) === undefined) tx.put('sessions', rec);
      }
      for (const e of gap) {
        const again = tx.appendLedger(inputOf(e));
        if (again.hash !== e.hash) throw new UserError(`ledger entry #${e.seq} does not re-hash to its recorded hash; run 'gauntlet ledger --verify'`, 3);
      }
    });
  };
}

/** The scratch store as the original stood when the session began: earlier sessions, specs and the ledger prefix. */
export async function rebuildPrefix(base: Store, original: Store, start: number, reopened: Set<string>, session: string): Promise<void> {
  const prefix = original.ledger().slice(0, start);
  const sessions = original.list('sessions');
  const earlier = sessions.slice(0, sessions.findIndex((s) => s.id === session));
  await base.transaction((tx: StoreTx) => {
    for (const s of earlier) tx.put('sessions', reopened.has(s.id) ? { ...s, status: 'RUNNING' as SessionRecord['status'], reason: null } : s);
    for (const spec of original.list('specs')) tx.addSpec(spec);
    for (const e of prefix) {
      const again = tx.appendLedger(inputOf(e));
      if (again.hash !== e.hash) throw new UserError(`ledger entry #${e.seq} does not re-hash to its recorded hash; run 'gauntlet ledger --verify'`, 3);
    }
  });
}

/** The wiring's provenance as the translate record holds it: everything but the loop's own fields. */
/** The command line's costs and gate config a session ran with, as its translate entry recorded them. */
export function recordedSettings(p: Record<string, string | number | boolean | null>, session: string): { costs?: { fees_bps?: number; slippage_bps?: number }; gates?: VersionedGateConfig; scope: ResearchScope } {
  const costs = {
    ...(typeof p.fees_bps === 'number' ? { fees_bps: p.fees_bps } : {}),
    ...(typeof p.slippage_bps === 'number' ? { slippage_bps: p.slippage_bps } : {}),
  };
  let gates: VersionedGateConfig | undefined;
  if (typeof p.gates === 'string') {
    // The recorded config is whole and names its version: it is read back exactly as `--gates` read it.
    gates = versionedGateConfig(JSON.parse(p.gates) as unknown, `session ${session}'s recorded gate config`);
  }
  return { ...(Object.keys(costs).length === 0 ? {} : { costs }), ...(gates === undefined ? {} : { gates }), scope: recordedScope(p) };
}

function provenanceOf(payload: LedgerEntry['payload']): Record<string, string | number | boolean | null> {
  const own = new Set(['source', 'idea', 'idea_artifact', 'seed', 'summary']);
  return Object.fromEntries(Object.entries(payload).filter(([k, v]) => !own.has(k) && (v === null || ['string', 'number', 'boolean'].includes(typeof v)))) as Record<string, string | number | boolean | null>;
}

function inputOf(e: LedgerEntry): LedgerEntryInput {
  const input: LedgerEntryInput = { session: e.session, kind: e.kind, action: e.action, cost: e.cost, credit: e.credit, ts: e.ts, payload: e.payload };
  if (e.proposal_id !== undefined) input.proposal_id = e.proposal_id;
  if (e.approval !== undefined) input.approval = e.approval;
  if (e.spec_id !== undefined) input.spec_id = e.spec_id;
  if (e.promotion_id !== undefined) input.promotion_id = e.promotion_id;
  return input;
}

/**
 * The store as the loop sees it, except that the nth ledger entry it appends gets the nth recorded
 * `ts`, and a closing entry the recorded `records` digest: both are facts of the original run (its
 * clock, and the records it wrote, checked against that digest before the replay starts), not
 * something the replay computes.
 */
export function replayClock(store: Store, recorded: readonly LedgerEntry[]): Store {
  let next = 0;
  const wrapTx = (tx: StoreTx): StoreTx => new Proxy(tx, {
    get(target, key) {
      if (key === 'appendLedger') {
        return (input: LedgerEntryInput) => {
          const was = recorded[next++];
          const records = was?.action === input.action ? was.payload.records : undefined;
          const payload = records !== undefined && input.payload?.records !== undefined ? { ...input.payload, records } : input.payload;
          return target.appendLedger({ ...input, ts: was?.ts ?? input.ts, ...(payload === undefined ? {} : { payload }) });
        };
      }
      const v = Reflect.get(target, key, target) as unknown;
      return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
    },
  });
  return new Proxy(store, {
    get(target, key) {
      if (key === 'transaction') return <T>(fn: (tx: StoreTx) => T) => target.transaction((tx) => fn(wrapTx(tx)) as never) as Promise<T>;
      const v = Reflect.get(target, key, target) as unknown;
      return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
    },
  });
}

/** The user's recorded decisions, in the order they were made. */
/** `before`: runs before each decision (the gap filler); `after`: answers once the recorded decisions run out (a resume goes live). */
export function recordedDecisions(
  decisions: ReadonlyArray<{ decision: 'approved' | 'vetoed' | 'killed'; note: string | null; by?: 'user' | 'auto' | 'replay' }>,
  hooks: { before?: () => Promise<void>; after?: ApproverPort['decide'] } = {},
): ApproverPort {
  let i = 0;
  return {
    decide: async (p): Promise<ApprovalDecision> => {
      await hooks.before?.();
      const d = decisions[i++];
      if (d === undefined && hooks.after !== undefined) return hooks.after(p);
      if (d === undefined) throw new DecisionsExhausted('the recorded session made no further decision');
      // A person's answer in a session run without one (resumed in the console) stays the person's.
      const by = d.by === 'user' ? { by: 'user' as const } : {};
      // The loop recorded an automatic approval of a kill as this veto (and froze): the answer was the approval.
      if (d.decision === 'vetoed' && d.by === 'auto' && d.note === AUTO_KILL_REFUSED) return { decision: 'approve' };
      // An approval's note is only ever its pre-approval (journal.ts): the same step is pre-approved again.
      if (d.decision === 'approved') return d.note === null ? { decision: 'approve', ...by } : { decision: 'approve', preapproved: d.note, ...by };
      const note = d.note ?? undefined;
      const kind = d.decision === 'killed' ? 'kill' : 'veto';
      return note === undefined ? { decision: kind, ...by } : { decision: kind, note, ...by };
    },
  };
}

export function compare(session: string, recorded: LedgerEntry[], replayed: ReadonlyArray<LedgerEntry>, client: ReplayChatClient, status: string | null, record: SessionRecord): ReplayReport {
  const interrupted = record.status === 'INTERRUPTED' || record.status === 'RUNNING' || record.status === 'SUSPENDED';
  // An interrupted original has no ending to reproduce: its entries must come back as they were.
  const n = interrupted ? recorded.length : Math.max(recorded.length, replayed.length);
  let first: ReplayReport['first_difference'] = null;
  for (let i = 0; i < n; i++) {
    const a = recorded[i];
    const b = replayed[i];
    if (a !== undefined && b !== undefined && JSON.stringify(a) === JSON.stringify(b)) continue;
    first = { seq: a?.seq ?? b?.seq ?? i, fields: differingFields(a, b), recorded: a ?? null, replayed: b ?? null };
    break;
  }
  return {
    session, identical: first === null && client.mismatches.length === 0, entries: recorded.length, replayed: replayed.length,
    first_difference: first, transcript_mismatches: client.mismatches.length, transcripts_unused: client.remaining(), status, interrupted,
  };
}

function differingFields(a: LedgerEntry | undefined, b: LedgerEntry | undefined): string[] {
  if (a === undefined || b === undefined) return [a === undefined ? '(not in the recorded session)' : '(not replayed)'];
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  const out: string[] = [];
  for (const k of keys) {
    const x = (a as Record<string, unknown>)[k];
    const y = (b as Record<string, unknown>)[k];
    if (JSON.stringify(x) === JSON.stringify(y)) continue;
    if (k === 'payload' && typeof x === 'object' && typeof y === 'object' && x !== null && y !== null) {
      for (const p of new Set([...Object.keys(x), ...Object.keys(y)])) {
        if (JSON.stringify((x as Record<string, unknown>)[p]) !== JSON.stringify((y as Record<string, unknown>)[p])) out.push(`payload.${p}`);
      }
    } else out.push(k);
  }
  return out;
}

function describe(r: ReplayReport): string {
  const head = `replay of ${r.session}: ${r.entries} ledger entries recorded, ${r.replayed} replayed`;
  const calls = r.transcript_mismatches > 0
    ? `\n${r.transcript_mismatches} model call(s) of the replay were never made by the session (prompts, data or code changed since)`
    : '';
  const edits = (r.edited_records ?? []).length > 0 ? `\nthe recorded session was edited after the ledger recorded it:\n  ${r.edited_records!.join('\n  ')}` : '';
  if (r.identical) {
    const last = r.first_difference === null ? ` — identical, byte for byte${r.interrupted ? ' (the original was interrupted; its entries all came back)' : ''}` : '';
    return `${head}${last}${calls}`;
  }
  const d = r.first_difference;
  if (d === null) return `${head} — the ledger matches but the replay differs${calls}${edits}`;
  const show = (e: LedgerEntry | null): string => (e === null ? '(none)' : `${e.kind} ${e.action} cost ${e.cost} balance ${e.balance} hash ${e.hash.slice(0, 12)}`);
  return `${head} — DIFFERENT from entry #${d.seq} (${d.fields.join(', ')})\n  recorded: ${show(d.recorded)}\n  replayed: ${show(d.replayed)}${calls}${edits}`;
}

function progress(io: Io, e: ResearchEvent): void {
  if (e.event === 'status') io.err(`replayed to ${e.status}: ${e.reason}\n`);
}

