import { complexityViolations, measureComplexity } from '../../core/spec/complexity.ts';
import { resolveCosts, type StatedCosts } from '../../core/spec/costs.ts';
import { canonicalJson } from '../../core/spec/hash.ts';
import { validateSpec } from '../../core/spec/parse.ts';
import { checkReferences } from '../../core/spec/references.ts';
import { schemaIdFor, type Condition, type Indicator, type Meta, type Operand, type Param, type RuleName, type Spec } from '../../core/spec/schema.ts';
import { forEachCmp, type CondIR, type IndicatorRequest, type OperandIR } from './condition-ir.ts';
import { baseIndicatorId } from './indicator-table.ts';
import { classifyMeta } from './meta.ts';
import { inferredMetaNote, type StatedMeta } from './meta-notes.ts';

/** What a front-end hands over: everything but indicator ids, meta and the unused params. */
export interface Draft {
  readonly name: string;
  readonly idea: string;
  /** Every declared param, in declaration order; only the ones the spec uses are kept. */
  readonly params: ReadonlyMap<string, Param>;
  readonly rules: Readonly<Record<RuleName, CondIR | null>>;
  readonly risk: Spec['risk'];
  /** Costs the idea stated; null where it said nothing (the market's defaults fill in, with a warning). */
  readonly execution: StatedCosts;
  readonly market_type?: Meta['market_type'] | undefined;
  /** Meta fields the idea stated; the rest are inferred, and a warning says so. */
  readonly stated?: StatedMeta | undefined;
  /** Which front-end: the inferred-meta note says how to state a field in that language. */
  readonly kind?: 'rules' | 'pine' | undefined;
}

export const RULE_NAMES: readonly RuleName[] = ['long_entry', 'long_exit', 'short_entry', 'short_exit'];

/** Pine's `ta.stoch` %K used without any %D: the signal length does not change %K; 3 is the customary %D. */
export const DEFAULT_STOCH_SIGNAL = 3;

function resolveStoch(req: IndicatorRequest, all: readonly IndicatorRequest[]): Indicator {
  if (req.fn !== 'stoch' || req.signal !== null) return req as Indicator;
  const key = canonicalJson(req.period);
  for (const r of all) {
    if (r.fn === 'stoch' && r.signal !== null && canonicalJson(r.period) === key) return { fn: 'stoch', period: req.period, signal: r.signal };
  }
  return { fn: 'stoch', period: req.period, signal: DEFAULT_STOCH_SIGNAL };
}

/**
 * Gives indicators ids (identical definitions share one; order of first reference in
 * long_entry, long_exit, short_entry, short_exit), renders the conditions, keeps the params in use,
 * classifies meta, and validates the result exactly as a loaded spec is validated.
 */
export function assemble(draft: Draft, where: string): { spec: Spec; warnings: string[] } {
  const requests: IndicatorRequest[] = [];
  for (const rule of RULE_NAMES) {
    const c = draft.rules[rule];
    if (c !== null) forEachCmp(c, ({ l, r }) => { for (const o of [l, r]) if (o.k === 'ind') requests.push(o.req); });
  }
  const idOfKey = new Map<string, string>();
  const indicators: Record<string, Indicator> = {};
  const idOfReq = new Map<IndicatorRequest, string>();
  for (const req of requests) {
    if (idOfReq.has(req)) continue;
    const def = resolveStoch(req, requests);
    const key = canonicalJson(def);
    let id = idOfKey.get(key);
    if (id === undefined) {
      const base = baseIndicatorId(def);
      id = base;
      for (let n = 2; indicators[id] !== undefined; n++) id = `${base}_${n}`;
      idOfKey.set(key, id);
      indicators[id] = def;
    }
    idOfReq.set(req, id);
  }

  const operand = (o: OperandIR): Operand => {
    const lag = (base: string, k: number): string => (k === 0 ? base : `${base}[${k}]`);
    switch (o.k) {
      case 'num': return o.v;
      case 'param': return `${o.neg ? '-' : ''}$${o.name}`;
      case 'field': return lag(o.field, o.lag);
      case 'ind': return lag(`${idOfReq.get(o.req)!}${o.output === null ? '' : `.${o.output}`}`, o.lag);
    }
  };
  const condition = (c: CondIR): Condition => {
    switch (c.k) {
      case 'cmp': return [operand(c.l), c.op, operand(c.r)];
      case 'not': return { not: condition(c.c) };
      case 'all': return { all: c.parts.map(condition) };
      case 'any': return { any: c.parts.map(condition) };
    }
  };
  const rules = Object.fromEntries(RULE_NAMES.map((r) => {
    const c = draft.rules[r];
    return [r, c === null ? null : condition(c)];
  })) as Record<RuleName, Condition | null>;

  const used = new Set<string>();
  const noteParam = (v: unknown): void => { if (typeof v === 'string' && /^-?\$/.test(v)) used.add(v.replace(/^-?\$/, '')); };
  for (const def of Object.values(indicators)) Object.values(def).forEach(noteParam);
  for (const rule of RULE_NAMES) {
    const c = draft.rules[rule];
    if (c !== null) forEachCmp(c, ({ l, r }) => { for (const o of [l, r]) if (o.k === 'param') used.add(o.name); });
  }
  const params: Record<string, Param> = {};
  for (const [name, p] of draft.params) if (used.has(name)) params[name] = p;

  const stated: StatedMeta = { ...draft.stated, ...(draft.market_type === undefined ? {} : { market_type: draft.market_type }) };
  const meta = { ...classifyMeta({ indicators, rules, params }, { market_type: stated.market_type ?? 'equities' }), ...stated };
  const metaNote = draft.kind === undefined ? null : inferredMetaNote(meta, { indicators, rules, params }, stated, draft.kind);
  const costs = resolveCosts(draft.execution, meta.market_type);
  const spec = validateSpec({
    schema: schemaIdFor(draft.risk), name: draft.name, idea: draft.idea, meta, params, indicators, rules, risk: draft.risk, execution: costs.execution,
  }, where);
  checkReferences(spec);
  const warnings = complexityViolations(measureComplexity(spec))
    .map((v) => `the spec breaks the complexity gate (docs/gates.md): ${v}; the compiler refuses it under the default limits`);
  return { spec, warnings: [...(costs.warning === null ? [] : [costs.warning]), ...warnings, ...(metaNote === null ? [] : [metaNote])] };
}

/** A spec name from free text: lowercase words joined by "-", at most 64 characters. */
export function slugify(text: string): string {
  const slug = text.toLowerCase().normalize('NFKD').replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 64).replace(/-+$/, '');
  return slug === '' ? 'untitled' : slug;
}
