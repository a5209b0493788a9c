import { z } from 'zod';
import { formatNumber } from '../format/numbers.ts';

/** `holdout` is the judgement-v1 gate, kept so that stores written before the confirmation still read. */
export const GATE_NAMES = ['viability', 'edge', 'distribution', 'robustness', 'complexity', 'causality', 'multiple_testing', 'confirmation', 'holdout'] as const;
export const GateNameSchema = z.enum(GATE_NAMES);
export type GateName = z.infer<typeof GateNameSchema>;

/**
 * The three verdicts of judgement v2 (docs/gates.md). FAIL is evidence against the idea and kills it;
 * INSUFFICIENT means "not judged yet": the Director buys more evidence, or the session freezes.
 */
export const VERDICTS = ['PASS', 'FAIL', 'INSUFFICIENT'] as const;
export const VerdictSchema = z.enum(VERDICTS);
export type Verdict = z.infer<typeof VerdictSchema>;

/** One measured check inside a gate: the value, the threshold, which side passes, and its own verdict. */
export const CheckSchema = z.strictObject({
  name: z.string(),
  value: z.number().nullable(),
  threshold: z.number(),
  /** `>=`: passes when value ≥ threshold; `<=`: when value ≤ threshold. */
  op: z.enum(['>=', '<=']),
  verdict: VerdictSchema,
  /** verdict === 'PASS'. */
  pass: z.boolean(),
  /** How it was measured, or why it could not be judged. */
  note: z.string().optional(),
});
export type Check = z.infer<typeof CheckSchema>;

/** Sample sizes behind a verdict (trades, calendar clusters, symbols, symbol-years, bars …). */
export const SampleSchema = z.record(z.string(), z.number());
export type Sample = z.infer<typeof SampleSchema>;

/** A gate's verdict: FAIL if any check failed, else INSUFFICIENT if any could not be judged, else PASS. */
export const GateVerdictSchema = z.strictObject({
  gate: GateNameSchema,
  verdict: VerdictSchema,
  /** verdict === 'PASS' (kept for readers that only ask "did it pass?"). */
  pass: z.boolean(),
  checks: z.array(CheckSchema),
  sample: SampleSchema,
  /** The gate config version that judged it, e.g. "gates@2". */
  config_version: z.string(),
});
export type GateVerdict = z.infer<typeof GateVerdictSchema>;

/** The gate config version this code judges with. Stores written before it keep their "gates@1" verdicts. */
export const GATES_VERSION = 'gates@2';

/** A point-value check with the two-verdict v1 semantics (complexity, causality: no sample involved). */
export function check(name: string, value: number | null, op: '>=' | '<=', threshold: number, note?: string): Check {
  return judged(name, value, op, threshold, onPassingSide(value, op, threshold) ? 'PASS' : 'FAIL', note);
}

/** A check whose verdict the gate decided (from a sample minimum, a confidence bound …). */
export function judged(name: string, value: number | null, op: '>=' | '<=', threshold: number, v: Verdict, note?: string): Check {
  const base = { name, value, threshold, op, verdict: v, pass: v === 'PASS' };
  return note === undefined ? base : { ...base, note };
}

/** Does the point value sit on the passing side of the threshold? */
export function onPassingSide(value: number | null, op: '>=' | '<=', threshold: number): boolean {
  return value !== null && Number.isFinite(value) && (op === '>=' ? value >= threshold : value <= threshold);
}

export function combine(checks: readonly Check[]): Verdict {
  if (checks.length === 0) return 'INSUFFICIENT';
  if (checks.some((c) => c.verdict === 'FAIL')) return 'FAIL';
  if (checks.some((c) => c.verdict === 'INSUFFICIENT')) return 'INSUFFICIENT';
  return 'PASS';
}

export function verdict(gate: GateName, checks: Check[], sample: Sample = {}): GateVerdict {
  const v = combine(checks);
  return { gate, verdict: v, pass: v === 'PASS', checks, sample, config_version: GATES_VERSION };
}

/** "viability: scope_trade_rate 37.2 < 100 (…)" — the DEAD reason users read: the failed checks only. */
export function failureReason(v: GateVerdict): string {
  return `${v.gate}: ${v.checks.filter((c) => c.verdict === 'FAIL').map(checkText).join('; ')}`;
}

/** "insufficient evidence: edge t 1.2 (34 trades in 9 clusters; needs 30 in ≥ 12) …" — what is missing, per gate. */
export function insufficiencyReason(verdicts: readonly GateVerdict[]): string {
  const parts = verdicts.filter((v) => v.verdict === 'INSUFFICIENT')
    .map((v) => `${v.gate}: ${v.checks.filter((c) => c.verdict === 'INSUFFICIENT').map(checkText).join('; ')}`);
  return `insufficient evidence: ${parts.join(' | ')}`;
}

/**
 * The smallest positive double, as the threshold of a check that must be strictly > 0 ("there is an
 * edge"): Check's `>=` then passes exactly when the value is > 0, so op, threshold and pass agree.
 */
export const ABOVE_ZERO = Number.MIN_VALUE;

/** Is this a "strictly above 0" check? Shown to people as "> 0" / "≤ 0", never as 4.94e-324. */
export function aboveZero(c: Pick<Check, 'op' | 'threshold'>): boolean {
  return c.op === '>=' && c.threshold === ABOVE_ZERO;
}

export function checkText(c: Check): string {
  if (aboveZero(c)) {
    const value = c.value === null ? 'unmeasured' : formatNumber(c.value, 'value');
    const head = `${c.name} ${value} ${c.verdict === 'PASS' ? '>' : c.value === null || c.verdict === 'INSUFFICIENT' ? '(threshold >' : '≤'} 0${c.value === null || c.verdict === 'INSUFFICIENT' ? ')' : ''}`;
    return c.note !== undefined ? `${head} (${c.note})` : head;
  }
  const rel = c.verdict === 'PASS' ? c.op : c.op === '>=' ? '<' : '>';
  const value = c.value === null ? 'unmeasured' : formatNumber(c.value, 'value');
  const head = c.value === null || c.verdict === 'INSUFFICIENT' && onPassingSide(c.value, c.op, c.threshold)
    ? `${c.name} ${value} (threshold ${c.op} ${formatNumber(c.threshold, 'value')})`
    : `${c.name} ${value} ${rel} ${formatNumber(c.threshold, 'value')}`;
  return c.note !== undefined ? `${head} (${c.note})` : head;
}
