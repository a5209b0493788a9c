import type { LedgerEntry } from '../ledger/schema.ts';
import { canonicalJson, logicHash, paramsHash, sha256, specId } from '../spec/hash.ts';
import { SpecSchema } from '../spec/schema.ts';
import type { StoreData } from './schema.ts';

/**
 * Binds the records outside the ledger to its hash chain. The ledger is tamper-evident (each entry
 * hashes the one before, ledger.head pins the last), but a session's gate verdicts, decisions,
 * reviews, transcripts, runs and its own status live in other collections, where an edit would pass
 * unnoticed. So the entry that closes a session (`status:…`) carries `records`: the sha256 of the
 * canonical JSON of every record of that session, the session record included. Specs need no
 * digest: a spec's id is the sha256 of its canonical JSON, so the spec is checked against its id.
 */

/** The collections whose records belong to one session (a `session` field). */
const SESSION_COLLECTIONS = ['proposals', 'decisions', 'runs', 'gates', 'reviews', 'transcripts', 'library'] as const;

type View = Pick<StoreData, 'sessions' | (typeof SESSION_COLLECTIONS)[number]>;

/**
 * Wall-clock facts (when a record was written, how long a call took) are left out: the ledger keeps
 * its own times, and a session run twice must close with the same entry, the clock being the only
 * difference between the runs. Everything a verdict rests on is in.
 */
const CLOCK_KEYS = new Set(['created_at', 'updated_at', 'added_at', 'started_at', 'ms', 'total_ms', 'load_ms']);

function clockFree(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(clockFree);
  if (v === null || typeof v !== 'object') return v;
  return Object.fromEntries(Object.entries(v).filter(([k]) => !CLOCK_KEYS.has(k)).map(([k, x]) => [k, clockFree(x)]));
}

/** The digest of session `id`'s records as they are now (what the closing ledger entry records). */
export function sessionRecordsDigest(data: View, id: string): string {
  const parts: Record<string, unknown> = { session: data.sessions.find((s) => s.id === id) ?? null };
  for (const c of SESSION_COLLECTIONS) parts[c] = (data[c] as ReadonlyArray<{ session: string | null }>).filter((r) => r.session === id);
  return sha256(canonicalJson(clockFree(parts)));
}

export interface RecordProblem {
  /** `specs/<id>` or `sessions/<id>`: what was edited. */
  record: string;
  /** The ledger entry the record disagrees with, when there is one. */
  seq: number | null;
  reason: string;
}

/**
 * Every record that disagrees with the ledger or with its own hash: a spec whose content no longer
 * hashes to its id; a session whose status or reason differ from its closing entry; a session whose
 * records differ from the digest that entry holds. Sessions closed by a version that wrote no digest
 * are checked on status and reason only.
 */
export function verifyRecords(data: StoreData): RecordProblem[] {
  const out: RecordProblem[] = [];
  for (const rec of data.specs) {
    const parsed = SpecSchema.safeParse(rec.spec);
    const spec = parsed.success ? parsed.data : null;
    if (spec === null || specId(spec) !== rec.id || logicHash(spec) !== rec.logic_hash || paramsHash(spec) !== rec.params_hash) {
      out.push({ record: `specs/${rec.id}`, seq: null, reason: 'the stored spec no longer hashes to its id: its rules, params or text were edited' });
    }
  }
  const closing = new Map<string, LedgerEntry>();
  for (const e of data.ledger) if (e.kind === 'record' && e.action.startsWith('status:')) closing.set(e.session, e);
  for (const s of data.sessions) {
    const e = closing.get(s.id);
    if (e === undefined) continue; // still running, or closed by a crash nobody has found yet
    const status = e.action.slice('status:'.length);
    const reason = typeof e.payload.reason === 'string' ? e.payload.reason : null;
    if (s.status !== status) {
      out.push({ record: `sessions/${s.id}`, seq: e.seq, reason: `the session record says ${s.status} but ledger entry #${e.seq} closed it ${status}` });
      continue;
    }
    if (reason !== null && s.reason !== reason) {
      out.push({ record: `sessions/${s.id}`, seq: e.seq, reason: `the session record's reason differs from the one ledger entry #${e.seq} closed it with` });
      continue;
    }
    const digest = e.payload.records;
    if (typeof digest === 'string' && digest !== sessionRecordsDigest(data, s.id)) {
      out.push({ record: `sessions/${s.id}`, seq: e.seq, reason: `its records (gate verdicts, decisions, reviews, transcripts, runs) differ from the digest ledger entry #${e.seq} recorded: one was edited` });
    }
  }
  return out;
}

/** One line per problem, for --verify and the dossier. */
export function describeRecordProblems(problems: readonly RecordProblem[]): string {
  return problems.map((p) => `${p.record}: ${p.reason}`).join('\n');
}
