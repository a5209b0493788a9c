import { UserError } from '../errors.ts';
import type { Condition, NumOrParam, PriceField, Spec } from './schema.ts';
import { INDICATOR_OUTPUTS, PRICE_FIELDS } from './vocabulary.ts';

/** A parsed operand string: what it names and how many bars back it reads. */
export type OperandRef =
  | { kind: 'number'; value: number }
  | { kind: 'param'; name: string; negate: boolean }
  | { kind: 'field'; field: PriceField; lag: number }
  | { kind: 'indicator'; id: string; output: string | null; lag: number };

const REF = /^([A-Za-z_][A-Za-z0-9_]*)(?:\.([A-Za-z_][A-Za-z0-9_]*))?(?:\[([0-9]+)\])?$/;

/** Parses an operand and checks that it refers to something the spec defines. `where` is its JSON path. */
export function parseOperand(spec: Spec, operand: number | string, where: string): OperandRef {
  if (typeof operand === 'number') return { kind: 'number', value: operand };
  if (operand.startsWith('$') || operand.startsWith('-$')) {
    const negate = operand.startsWith('-');
    const name = operand.slice(negate ? 2 : 1);
    if (!Object.hasOwn(spec.params, name)) throw new UserError(`${where}: "${operand}" names no param; params are: ${Object.keys(spec.params).join(', ') || '(none)'}`);
    return { kind: 'param', name, negate };
  }
  const m = REF.exec(operand);
  if (m === null) throw new UserError(`${where}: "${operand}" is not an operand (number, "$param", field, indicator, "id.output", with optional "[k]")`);
  const [, head, output, lagText] = m;
  const lag = lagText === undefined ? 0 : Number(lagText);
  if (lagText !== undefined && !(Number.isInteger(lag) && lag >= 1)) throw new UserError(`${where}: lag in "${operand}" must be an integer ≥ 1`);
  if ((PRICE_FIELDS as readonly string[]).includes(head!) && output === undefined) return { kind: 'field', field: head as PriceField, lag };
  // Own properties only: "constructor" or "toString" must not resolve to Object.prototype members.
  const ind = Object.hasOwn(spec.indicators, head!) ? spec.indicators[head!] : undefined;
  if (ind === undefined) {
    throw new UserError(`${where}: "${operand}" is neither a price field (${PRICE_FIELDS.join(' ')}) nor an indicator id (${Object.keys(spec.indicators).join(', ') || 'none defined'})`);
  }
  const outputs = INDICATOR_OUTPUTS[ind.fn];
  if (outputs === null) {
    if (output !== undefined) throw new UserError(`${where}: indicator "${head}" (${ind.fn}) has a single output; write "${head}" not "${head}.${output}"`);
    return { kind: 'indicator', id: head!, output: null, lag };
  }
  if (output === undefined || !outputs.includes(output)) {
    throw new UserError(`${where}: indicator "${head}" (${ind.fn}) needs an output: ${outputs.map((o) => `${head}.${o}`).join(', ')}`);
  }
  return { kind: 'indicator', id: head!, output, lag };
}

/** The number a literal or `$param` stands for. */
export function resolveNumber(spec: Spec, v: NumOrParam, where: string): number {
  if (typeof v === 'number') return v;
  const p = Object.hasOwn(spec.params, v.slice(1)) ? spec.params[v.slice(1)] : undefined;
  if (p === undefined) throw new UserError(`${where}: "${v}" names no param; params are: ${Object.keys(spec.params).join(', ') || '(none)'}`);
  return p.value;
}

/** Calls `visit` for every comparison of a condition tree, with its JSON path. */
export function forEachComparison(cond: Condition, where: string, visit: (c: [number | string, string, number | string], where: string) => void): void {
  if (Array.isArray(cond)) { visit(cond as [number | string, string, number | string], where); return; }
  if ('all' in cond) cond.all.forEach((c, k) => forEachComparison(c, `${where}.all[${k}]`, visit));
  else if ('any' in cond) cond.any.forEach((c, k) => forEachComparison(c, `${where}.any[${k}]`, visit));
  else forEachComparison(cond.not, `${where}.not`, visit);
}

/**
 * Checks that every operand and every `$param` of a spec refers to something it defines.
 * Throws a UserError naming the JSON path of the first bad reference.
 */
export function checkReferences(spec: Spec): void {
  for (const [id, def] of Object.entries(spec.indicators)) {
    for (const [key, v] of Object.entries(def)) {
      if (key !== 'fn' && key !== 'source' && v !== undefined) resolveNumber(spec, v as NumOrParam, `indicators.${id}.${key}`);
    }
  }
  for (const rule of ['long_entry', 'long_exit', 'short_entry', 'short_exit'] as const) {
    const cond = spec.rules[rule];
    if (cond === null) continue;
    forEachComparison(cond, `rules.${rule}`, ([l, , r], where) => {
      parseOperand(spec, l, `${where}[0]`);
      parseOperand(spec, r, `${where}[2]`);
    });
  }
}
