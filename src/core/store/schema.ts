import { z } from 'zod';
import { ActionSchema } from '../budget/cost-table.ts';
import { ProposalSchema } from '../budget/proposal.ts';
import { HashSchema, LedgerEntrySchema } from '../ledger/schema.ts';

/**
 * The store file `store.json` (DESIGN §7). This schema runs on every read, so it is the single
 * source of the store's types. Every object is strict: lowdb writes back what zod returned, and a
 * non-strict object would silently drop fields it does not know (and break ledger hashes).
 * Where another module owns a record's content, it lives in a `payload` of JSON values.
 */

export const STORE_VERSION = 2;

const Id = z.string().min(1);
const Time = z.iso.datetime();
const Payload = z.record(z.string(), z.json());

export const SpecRecordSchema = z.strictObject({
  /** sha256 of the spec's canonical JSON (DESIGN §3); the store checks it on append. */
  id: HashSchema,
  logic_hash: HashSchema,
  params_hash: HashSchema,
  parent: HashSchema.nullable(),
  created_at: Time,
  spec: z.json(),
});

export const ProposalRecordSchema = ProposalSchema.extend({
  id: Id,
  session: Id,
  spec_id: HashSchema.nullable(),
  created_at: Time,
  /** Who produced it: `rules`, `ollama:<model>`, `fallback` … */
  source: z.string().min(1),
  payload: Payload,
});

export const DecisionRecordSchema = z.strictObject({
  id: Id,
  session: Id,
  proposal_id: Id,
  created_at: Time,
  /** killed: the user stopped the strategy at this proposal (a replay must tell it from a veto). */
  decision: z.enum(['approved', 'vetoed', 'killed']),
  by: z.enum(['user', 'auto', 'replay']),
  note: z.string().nullable(),
  /** The ledger entry that paid for it, when it cost anything. */
  ledger_seq: z.number().int().nonnegative().nullable(),
});

/** A reference to a content-addressed file under artifacts/ (see artifacts.ts); `text` is raw UTF-8. */
export const ArtifactRefSchema = z.strictObject({
  hash: HashSchema,
  format: z.enum(['json', 'f64', 'text']),
  bytes: z.number().int().nonnegative(),
});

/**
 * A transcript body (the request, the reply, the reasoning): inline text up to 4096 UTF-8 bytes, else
 * an artifact (transcript-bodies.ts). Stores written before bodies moved out hold text only, which
 * still reads: no migration.
 */
export const TranscriptBodyRefSchema = z.strictObject({
  /** The body's UTF-8 bytes as stored (format "text"): its sha256 and size. */
  artifact: ArtifactRefSchema.extend({ format: z.literal('text') }),
  /** Its first characters, one line, sanitised: for a person reading store.json. */
  preview: z.string(),
  /** Present when the body was longer than the per-artifact cap: only its first `cap` bytes are stored. */
  cut: z.strictObject({ cap: z.number().int().positive(), bytes: z.number().int().positive(), sha256: HashSchema }).optional(),
});
const TranscriptBodySchema = z.union([z.string(), TranscriptBodyRefSchema]);

export const RunRecordSchema = z.strictObject({
  id: Id,
  session: Id,
  spec_id: HashSchema,
  created_at: Time,
  /** backtest, optimize, walk_forward, subsample, causality … (owned by the engine). */
  kind: z.string().min(1),
  symbols: z.array(z.string().min(1)),
  interval: z.string().min(1),
  params: z.record(z.string(), z.number()),
  /** Metrics and other small results. */
  summary: Payload,
  /**
   * Big outputs: `equity` (f64, one value per bar) and `trades` (JSON, see
   * report/trades-artifact.ts). Stores written before trades were kept have none.
   */
  artifacts: z.strictObject({ equity: ArtifactRefSchema, trades: ArtifactRefSchema.optional() }),
});

export const GateRecordSchema = z.strictObject({
  id: Id,
  session: Id,
  spec_id: HashSchema,
  created_at: Time,
  gate: z.string().min(1),
  /**
   * PASS, FAIL or INSUFFICIENT (gates@2 and later). DEAD is a gates@1 failure: stores written before
   * the three verdicts keep it, with their own meaning (docs/gates.md).
   */
  verdict: z.enum(['PASS', 'FAIL', 'INSUFFICIENT', 'DEAD']),
  /** The gate config version that judged: "gates@1" for records written before versions were named. */
  config_version: z.string().min(1),
  run_ids: z.array(Id),
  /** Every measured value and its threshold. */
  measured: Payload,
  reason: z.string().nullable(),
});

export const ReviewRecordSchema = z.strictObject({
  id: Id,
  session: Id,
  spec_id: HashSchema,
  created_at: Time,
  source: z.string().min(1),
  transcript_id: Id.nullable(),
  payload: Payload,
});

/** One LLM call, enough to replay it without the model (DESIGN §6, LLM hygiene). */
/** Token counts and durations (ms) a server reported for one model call; null where it reported none. */
export const UsageSchema = z.strictObject({
  prompt_tokens: z.number().int().nonnegative().nullable(),
  completion_tokens: z.number().int().nonnegative().nullable(),
  total_ms: z.number().nonnegative().nullable(),
  load_ms: z.number().nonnegative().nullable(),
});
export type Usage = z.infer<typeof UsageSchema>;

export const TranscriptRecordSchema = z.strictObject({
  id: Id,
  session: Id.nullable(),
  created_at: Time,
  role: z.string().min(1),
  model: z.string().min(1),
  model_digest: z.string().nullable(),
  options: Payload,
  prompt_hash: HashSchema,
  /** The canonical request (model, messages, format, options); replay matches it by prompt_hash. */
  prompt: TranscriptBodySchema,
  /** The raw reply text, before repair. */
  response: TranscriptBodySchema,
  /** 1 for the first try, 2–3 for the retries that fed the validation errors back. */
  attempt: z.number().int().positive(),
  started_at: Time,
  ms: z.number().nonnegative(),
  outcome: z.enum(['ok', 'invalid', 'truncated', 'error']),
  /** Why the attempt failed (validation issues, the error); null when ok. */
  detail: z.string().nullable(),
  // Optional, so stores written before them still load.
  /** The `think` sent to the server (absent: none sent). */
  think: z.union([z.boolean(), z.enum(['low', 'medium', 'high'])]).optional(),
  /** The model's reasoning from the server's `thinking` field. */
  thinking: TranscriptBodySchema.optional(),
  /** Token counts and durations the server reported for the call. */
  usage: UsageSchema.optional(),
  /** Our estimate of the prompt's tokens, which the context budget was checked with. */
  prompt_estimate: z.number().int().nonnegative().optional(),
  /** Refused before it was sent (the prompt was over the context budget). */
  not_sent: z.literal(true).optional(),
  /** Who answered: server kind and version, where it runs (remote_host for a cloud model), the session's settings. */
  server: z.strictObject({
    kind: z.enum(['ollama', 'openai']),
    version: z.string().nullable(),
    remote_host: z.string().nullable(),
    keep_alive: z.string().nullable(),
  }).optional(),
});

export const LibraryRecordSchema = z.strictObject({
  id: Id,
  spec_id: HashSchema,
  session: Id,
  added_at: Time,
  promotion_id: Id.nullable(),
  payload: Payload,
});

/**
 * INTERRUPTED: the process died mid-session (found RUNNING by the next writer, which holds the lock).
 * SUSPENDED: the user quit while a proposal waited; `gauntlet resume` continues it.
 */
export const SESSION_STATUSES = ['RUNNING', 'FROZEN', 'DEAD', 'KILLED', 'PROMOTED', 'INTERRUPTED', 'SUSPENDED'] as const;

export const SessionRecordSchema = z.strictObject({
  id: Id,
  created_at: Time,
  updated_at: Time,
  status: z.enum(SESSION_STATUSES),
  mode: z.enum(['interactive', 'auto', 'replay']),
  spec_id: HashSchema.nullable(),
  /** Why it stopped: the gate and its value, the freeze, the kill note. */
  reason: z.string().nullable(),
  /**
   * The prices the session was granted under. A partial record: a session written before an action
   * existed has no price for it (it could not have been proposed), so adding an action to the cost
   * table needs no store migration. An action the table no longer knows is still an error.
   */
  budget: z.strictObject({ credits: z.number().int().nonnegative(), prices: z.partialRecord(ActionSchema, z.number().int().nonnegative()) }),
});

/** Collections whose records carry a unique `id`. */
export const RECORD_SCHEMAS = {
  specs: SpecRecordSchema,
  proposals: ProposalRecordSchema,
  decisions: DecisionRecordSchema,
  runs: RunRecordSchema,
  gates: GateRecordSchema,
  reviews: ReviewRecordSchema,
  transcripts: TranscriptRecordSchema,
  library: LibraryRecordSchema,
  sessions: SessionRecordSchema,
} as const;
export type CollectionName = keyof typeof RECORD_SCHEMAS;
export const COLLECTIONS = Object.keys(RECORD_SCHEMAS) as CollectionName[];

export const StoreSchema = z.strictObject({
  version: z.literal(STORE_VERSION),
  created_at: Time,
  specs: z.array(SpecRecordSchema),
  ledger: z.array(LedgerEntrySchema),
  proposals: z.array(ProposalRecordSchema),
  decisions: z.array(DecisionRecordSchema),
  runs: z.array(RunRecordSchema),
  gates: z.array(GateRecordSchema),
  reviews: z.array(ReviewRecordSchema),
  transcripts: z.array(TranscriptRecordSchema),
  library: z.array(LibraryRecordSchema),
  sessions: z.array(SessionRecordSchema),
}).superRefine((store, ctx) => {
  // Ids are how records point at each other; a duplicate would make every such pointer ambiguous.
  for (const name of COLLECTIONS) {
    const seen = new Set<string>();
    store[name].forEach((r, i) => {
      if (seen.has(r.id)) ctx.addIssue({ code: 'custom', path: [name, i, 'id'], message: `duplicate id "${r.id}"` });
      seen.add(r.id);
    });
  }
});

export type StoreData = z.infer<typeof StoreSchema>;
export type RecordOf<C extends CollectionName> = z.infer<(typeof RECORD_SCHEMAS)[C]>;
export type RecordInput<C extends CollectionName> = z.input<(typeof RECORD_SCHEMAS)[C]>;
export type ArtifactRef = z.infer<typeof ArtifactRefSchema>;
export type SpecRecord = RecordOf<'specs'>;
export type SessionRecord = RecordOf<'sessions'>;
export type TranscriptRecord = RecordOf<'transcripts'>;
export type TranscriptBody = z.infer<typeof TranscriptBodySchema>;
export type TranscriptBodyRef = z.infer<typeof TranscriptBodyRefSchema>;

export function emptyStore(now: Date = new Date()): StoreData {
  return {
    version: STORE_VERSION, created_at: now.toISOString(),
    specs: [], ledger: [], proposals: [], decisions: [], runs: [], gates: [], reviews: [], transcripts: [], library: [], sessions: [],
  };
}
