/**
 * The constitutional invariants of DESIGN §6. A breach is a hard, typed error — never a warning —
 * so callers (the loop, the UI, tests) can tell which rule was broken by its code alone.
 */

export const INVARIANTS = {
  I1: 'logic is frozen after the first review (only params change, within their declared ranges)',
  I2: 'no indicator is added after compile',
  I3: 'timeframe changes follow the ladder 1m → 5m → 15m → 1h → 4h → 1d, one step at a time',
  I4: 'no optimization before an out-of-sample pass',
  I5: 'a strategy is approved only after the reviewer tried to reject it',
  I6: 'no credit is spent without a Director proposal with a justification and, in interactive mode, the user\'s approval',
  I7: 'the budget is never negative and never reset except by promotion',
  I8: 'LLM output never carries metrics, costs or verdicts',
  I9: 'the ledger is append-only',
} as const;

export type InvariantCode = keyof typeof INVARIANTS;

export class InvariantError extends Error {
  override readonly name: string = 'InvariantError';
  constructor(readonly code: InvariantCode, detail: string) {
    super(`invariant ${code} violated (${INVARIANTS[code]}): ${detail}`);
  }
}

export function isInvariantError(e: unknown, code?: InvariantCode): e is InvariantError {
  return e instanceof InvariantError && (code === undefined || e.code === code);
}
