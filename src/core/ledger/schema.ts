import { z } from 'zod';

/**
 * One ledger entry (DESIGN §6, §7). Entries are hash-chained: `hash` is the sha256 of the entry's
 * canonical JSON without `hash`, and `prev` is the previous entry's hash (64 zeros for the first).
 *
 * Kinds, and the only arithmetic the ledger knows — balance = previous balance − cost + credit:
 * - grant   the session's budget, once, as its first entry (credit > 0, cost 0)
 * - spend   credits paid for an approved Director proposal (cost ≥ 0; needs proposal_id and approval)
 * - trial   a zero-cost record of one backtest trial; the Deflated Sharpe gate counts these
 * - record  any other zero-cost event worth keeping: gate runs, LLM calls, decisions, vetoes, a freeze
 * - reset   a budget extension granted by a promotion (needs promotion_id)
 *
 * The schema is strict and has no defaults or transforms: what is parsed is exactly what was
 * hashed, so a parsed entry can be re-hashed to check it. `balance` is any integer here (not ≥ 0)
 * so that a negative one in a tampered file reaches `verifyLedger`, which names the entry.
 */

export const HashSchema = z.string().regex(/^[0-9a-f]{64}$/, { message: 'must be a sha256 hex digest (64 lowercase hex digits)' });
export const GENESIS_HASH = '0'.repeat(64);

export const LEDGER_KINDS = ['grant', 'spend', 'trial', 'record', 'reset'] as const;
export const LedgerKindSchema = z.enum(LEDGER_KINDS);
export type LedgerKind = z.infer<typeof LedgerKindSchema>;

export const ApprovalSchema = z.strictObject({
  by: z.enum(['user', 'auto', 'replay']),
  decision: z.literal('approved'),
});
export type Approval = z.infer<typeof ApprovalSchema>;

const Credits = z.number().int().nonnegative();

/** Small JSON facts about the entry (symbols, run id, gate name …); big things go to artifacts. */
export const LedgerPayloadSchema = z.record(z.string(), z.json());

export const LedgerEntrySchema = z.strictObject({
  seq: z.number().int().nonnegative(),
  ts: z.iso.datetime(),
  session: z.string().min(1),
  kind: LedgerKindSchema,
  /** What happened: a cost-table action for spends, free text (`translate`, `gate:viability` …) otherwise. */
  action: z.string().min(1),
  cost: Credits,
  credit: Credits,
  balance: z.number().int(),
  proposal_id: z.string().min(1).optional(),
  approval: ApprovalSchema.optional(),
  spec_id: HashSchema.optional(),
  promotion_id: z.string().min(1).optional(),
  payload: LedgerPayloadSchema,
  prev: HashSchema,
  hash: HashSchema,
});
export type LedgerEntry = z.infer<typeof LedgerEntrySchema>;

/** What a caller supplies; the chain fills in seq, prev, balance and hash. */
export interface LedgerEntryInput {
  session: string;
  kind: LedgerKind;
  action: string;
  cost?: number;
  credit?: number;
  proposal_id?: string;
  approval?: Approval;
  spec_id?: string;
  promotion_id?: string;
  payload?: z.infer<typeof LedgerPayloadSchema>;
  /** Defaults to now; replays pass the recorded time. */
  ts?: string;
}
