import { z } from 'zod';

export const GATE_NAMES = ['viability', 'distribution', 'robustness', 'complexity', 'causality', 'multiple_testing', 'holdout'] as const;
export const GateNameSchema = z.enum(GATE_NAMES);
export type GateName = z.infer<typeof GateNameSchema>;

/** One measured check inside a gate: the value, the threshold and which side passes. */
export const CheckSchema = z.strictObject({
  name: z.string(),
  value: z.number().nullable(),
  threshold: z.number(),
  /** `>=`: passes when value ≥ threshold; `<=`: when value ≤ threshold. */
  op: z.enum(['>=', '<=']),
  pass: z.boolean(),
  /** Why a value could not be measured (then the check fails), or a note on how it was measured. */
  note: z.string().optional(),
});
export type Check = z.infer<typeof CheckSchema>;

/** A gate's verdict: PASS only when every check passes (DESIGN §6: binary, harsh, early). */
export const GateVerdictSchema = z.strictObject({
  gate: GateNameSchema,
  pass: z.boolean(),
  checks: z.array(CheckSchema),
});
export type GateVerdict = z.infer<typeof GateVerdictSchema>;

export function check(name: string, value: number | null, op: '>=' | '<=', threshold: number, note?: string): Check {
  const pass = value !== null && Number.isFinite(value) && (op === '>=' ? value >= threshold : value <= threshold);
  return note === undefined ? { name, value, threshold, op, pass } : { name, value, threshold, op, pass, note };
}

export function verdict(gate: GateName, checks: Check[]): GateVerdict {
  return { gate, pass: checks.length > 0 && checks.every((c) => c.pass), checks };
}

/** "viability: trades_per_year 37.2 < 100" — the DEAD reason users read. */
export function failureReason(v: GateVerdict): string {
  const bad = v.checks.filter((c) => !c.pass);
  return `${v.gate}: ${bad.map((c) => `${c.name} ${c.value === null ? 'unmeasured' : fmt(c.value)} ${c.op === '>=' ? '<' : '>'} ${fmt(c.threshold)}${c.note !== undefined ? ` (${c.note})` : ''}`).join('; ')}`;
}

function fmt(x: number): string {
  return Math.abs(x) >= 100 ? x.toFixed(1) : Math.abs(x) >= 1 ? x.toFixed(3) : x.toPrecision(3);
}
