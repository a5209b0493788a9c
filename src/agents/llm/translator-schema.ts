import { z } from 'zod';
import { complexityViolations, measureComplexity } from '../../core/spec/complexity.ts';
import { paramProblem } from '../../core/spec/params.ts';
import { parseOperand } from '../../core/spec/references.ts';
import {
  INDICATOR_OUTPUTS, MetaSchema, OperandSchema, OPS, ParamSchema, PRICE_FIELDS, SPEC_SCHEMA_ID, SpecSchema,
  type Condition, type Indicator, type IndicatorFn, type Operand, type Param, type Spec,
} from '../../core/spec/schema.ts';
import { UserError, formatPath } from '../../core/errors.ts';
import { slugify } from '../translate/assemble.ts';
import { resolveCosts, type StatedCosts } from '../../core/spec/costs.ts';
import { FN_SHAPES } from '../translate/indicator-table.ts';
import { detectKind } from '../translate/index.ts';
import { inferredMetaNote, modelMetaReasons, type StatedMeta } from '../translate/meta-notes.ts';
import { readAnnotation } from '../translate/pine/annotation.ts';

/**
 * The translator's reply: a spec draft in a shape a grammar can constrain (DESIGN §3 has unions a
 * grammar cannot express: numbers-or-strings, nested conditions, records). Operands and arguments
 * are strings ("30", "$lo", "bb.lower", "close[1]"); each side is one flat all/any list. No field for
 * fees, slippage, costs or any result: code sets fees and slippage as the rule translator does.
 */

const FNS = Object.keys(FN_SHAPES) as [IndicatorFn, ...IndicatorFn[]];
const RULE_SIDES = ['long_entry', 'long_exit', 'short_entry', 'short_exit'] as const;
const MAX_TEXT = 2000;

const WireParam = z.object({ name: z.string(), value: z.number(), min: z.number(), max: z.number(), step: z.number() });
const WireIndicator = z.object({ id: z.string(), fn: z.enum(FNS), source: z.enum(PRICE_FIELDS), args: z.array(z.string()).max(3) });
const WireCondition = z.object({ left: z.string(), op: z.enum(OPS), right: z.string() });
const WireSide = z.object({ combine: z.enum(['all', 'any']), conditions: z.array(WireCondition).max(6) });

export const TranslatorWireSchema = z.object({
  name: z.string(),
  summary: z.string(),
  meta: MetaSchema,
  params: z.array(WireParam).max(6),
  indicators: z.array(WireIndicator).max(5),
  rules: z.object({ long_entry: WireSide, long_exit: WireSide, short_entry: WireSide, short_exit: WireSide }),
  /** 0 means none. */
  stop_loss_pct: z.number(),
  take_profit_pct: z.number(),
  warnings: z.array(z.string()).max(10),
});
export type TranslatorWire = z.infer<typeof TranslatorWireSchema>;

export interface Draft {
  spec: Spec;
  summary: string;
  warnings: string[];
}

export interface DraftOptions {
  /** The idea as the user wrote it (the spec's `idea`, cut to 500 characters as the rule translator does). */
  idea: string;
  /** The compiler's verdict on the assembled spec (null = compiles); agents cannot import the engine, so the wiring passes it. */
  check?: (spec: Spec) => string | null;
}

const ID = /^[A-Za-z_][A-Za-z0-9_]*$/;
const NUMBER = /^-?(?:\d+(?:\.\d+)?|\.\d+)$/;

/** "30" → 30, "$lo" stays; anything else stays a string for the spec schema to judge. */
function operand(text: string): Operand {
  const t = text.trim();
  return NUMBER.test(t) ? Number(t) : t;
}

type Issue = { path: Array<string | number>; message: string };

/**
 * The full schema: the wire shape, then the spec built from it and checked as a loaded spec is —
 * schema, references, param grids, complexity — and finally by the compiler. Every problem becomes
 * an issue with the reply's own JSON path, which structuredCall feeds back to the model.
 */
export function translatorFullSchema(o: DraftOptions) {
  return TranslatorWireSchema.transform((w, ctx): Draft => {
    const issues: Issue[] = [];
    const built = buildSpec(w, o.idea, issues);
    if (built !== null && issues.length === 0) {
      const problem = o.check?.(built.spec) ?? null;
      if (problem !== null) issues.push({ path: [], message: `the compiler refused the spec: ${problem}` });
    }
    if (built === null || issues.length > 0) {
      for (const i of issues) ctx.addIssue({ code: 'custom', path: i.path, message: i.message });
      return z.NEVER;
    }
    return built;
  });
}

function buildSpec(w: TranslatorWire, idea: string, issues: Issue[]): Draft | null {
  const note = (path: Array<string | number>, message: string): void => void issues.push({ path, message });
  if (w.summary.trim() === '') note(['summary'], 'must not be empty: restate the idea in one or two sentences');
  if (w.summary.length > MAX_TEXT) note(['summary'], `at most ${MAX_TEXT} characters`);

  const params: Record<string, Param> = {};
  w.params.forEach((p, i) => {
    if (!ID.test(p.name)) return note(['params', i, 'name'], `"${p.name}" is not an identifier (letters, digits, _; not starting with a digit)`);
    if (Object.hasOwn(params, p.name)) return note(['params', i, 'name'], `"${p.name}" is declared twice`);
    const r = ParamSchema.safeParse({ value: p.value, min: p.min, max: p.max, step: p.step });
    if (!r.success) return r.error.issues.forEach((x) => note(['params', i, ...x.path.map(String)], x.message));
    const problem = paramProblem(p.name, r.data, r.data.value);
    if (problem !== null) return note(['params', i, 'value'], problem);
    params[p.name] = r.data;
  });

  const indicators: Record<string, Indicator> = {};
  w.indicators.forEach((ind, i) => {
    if (!ID.test(ind.id)) return note(['indicators', i, 'id'], `"${ind.id}" is not an identifier`);
    if ((PRICE_FIELDS as readonly string[]).includes(ind.id)) return note(['indicators', i, 'id'], `"${ind.id}" is a price field; pick another id`);
    if (Object.hasOwn(indicators, ind.id)) return note(['indicators', i, 'id'], `"${ind.id}" is used twice`);
    const shape = FN_SHAPES[ind.fn];
    if (ind.args.length !== shape.args.length) {
      return note(['indicators', i, 'args'], `${ind.fn} takes ${shape.args.length} argument(s) (${shape.args.join(', ') || 'none'}), got ${ind.args.length}`);
    }
    const def: Record<string, unknown> = { fn: ind.fn };
    if (shape.source !== null) def.source = ind.source;
    let ok = true;
    shape.args.forEach((name, k) => {
      const v = operand(ind.args[k]!);
      const problem = argProblem(v, name, shape.periods.includes(name), params);
      if (problem !== null) { ok = false; note(['indicators', i, 'args', k], `${name}: ${problem}`); }
      def[name] = v;
    });
    if (ok) indicators[ind.id] = def as Indicator;
  });

  const rules = {} as Record<(typeof RULE_SIDES)[number], Condition | null>;
  for (const side of RULE_SIDES) {
    const s = w.rules[side];
    s.conditions.forEach((c, j) => {
      for (const key of ['left', 'right'] as const) {
        const r = OperandSchema.safeParse(operand(c[key]));
        if (!r.success) note(['rules', side, 'conditions', j, key], `"${c[key]}": ${r.error.issues[0]?.message ?? 'not an operand'}`);
      }
    });
    const parts = s.conditions.map((c): Condition => [operand(c.left), c.op, operand(c.right)]);
    rules[side] = parts.length === 0 ? null : parts.length === 1 ? parts[0]! : s.combine === 'all' ? { all: parts } : { any: parts };
  }
  if (rules.long_entry === null && rules.short_entry === null) note(['rules'], 'neither long_entry nor short_entry has a condition, so no position can open');

  const risk = { stop_loss_pct: pctOrNull(w.stop_loss_pct, 'stop_loss_pct', note), take_profit_pct: pctOrNull(w.take_profit_pct, 'take_profit_pct', note) };
  if (issues.length > 0) return null;

  const name = slugify(w.name.trim() === '' ? w.summary : w.name);
  // What the idea states is the idea's, not the model's to change; the rest the model chose, and the note says so.
  const stated = statedMeta(idea);
  const meta = { ...w.meta, ...stated };
  // The model never sets a cost (I8): the idea's own "fees N bps" / "slippage N bps", else the market's defaults.
  const costs = resolveCosts(statedCosts(idea), meta.market_type);
  const parsed = SpecSchema.safeParse({
    schema: SPEC_SCHEMA_ID, name, idea: idea.trim().slice(0, 500), meta, params, indicators, rules, risk,
    execution: costs.execution,
  });
  if (!parsed.success) {
    for (const x of parsed.error.issues) note(wirePath(x.path), x.message);
    return null;
  }
  const spec = parsed.data;
  for (const side of RULE_SIDES) {
    w.rules[side].conditions.forEach((c, j) => {
      for (const key of ['left', 'right'] as const) {
        const where = formatPath(['rules', side, 'conditions', j, key]);
        try {
          parseOperand(spec, operand(c[key]), where);
        } catch (e) {
          if (!(e instanceof UserError)) throw e;
          note(['rules', side, 'conditions', j, key], e.message.replace(`${where}: `, ''));
        }
      }
    });
  }
  for (const v of complexityViolations(measureComplexity(spec))) note([], `too complex: ${v} (the complexity gate's limits, docs/gates.md)`);
  if (issues.length > 0) return null;

  const warnings = w.warnings.map((x) => x.trim()).filter((x) => x !== '').map((x) => x.slice(0, MAX_TEXT));
  if (costs.warning !== null) warnings.unshift(costs.warning);
  const used = usedParams(spec);
  const unused = Object.keys(spec.params).filter((p) => !used.has(p));
  let out = spec;
  if (unused.length > 0) {
    warnings.push(`params ${unused.join(', ')} are declared but not used, so they are left out of the spec`);
    const kept = Object.fromEntries(Object.entries(spec.params).filter(([p]) => used.has(p)));
    out = SpecSchema.parse({ ...spec, params: kept });
  }
  // The same note the rule and Pine translators give, in their words, with the model as the reason.
  const metaNote = inferredMetaNote(out.meta, out, stated, detectKind(idea), modelMetaReasons(out));
  if (metaNote !== null) warnings.push(metaNote);
  return { spec: out, summary: w.summary.trim(), warnings };
}

const STATED_WORDS: ReadonlyArray<readonly [keyof StatedMeta, RegExp]> = [
  ['holding_period', /\bholding\s+(short|medium|long|intraday)\b/i],
  ['market_type', /\bmarket\s+(equities|crypto|futures|forex)\b/i],
  ['style', /\bstyle\s+(mean[_ ]reversion|trend[_ ]following|breakout|momentum|other)\b/i],
];

/**
 * Meta the idea states as the deterministic translators read it: a Pine script's `// @gauntlet`
 * line, or the rule language's `holding …`, `market …`, `style …` words anywhere in free text.
 */
export function statedMeta(idea: string): StatedMeta {
  if (detectKind(idea) === 'pine') {
    try {
      return readAnnotation(idea, 'idea').meta;
    } catch (e) {
      if (e instanceof UserError) return {}; // a malformed annotation states nothing; the Pine refusal already said why
      throw e;
    }
  }
  const out: Record<string, string> = {};
  for (const [field, re] of STATED_WORDS) {
    const m = re.exec(idea);
    if (m !== null) out[field] = m[1]!.toLowerCase().replace(' ', '_');
  }
  return out as StatedMeta;
}

function argProblem(v: Operand, name: string, isPeriod: boolean, params: Record<string, Param>): string | null {
  if (typeof v === 'string') {
    if (!/^\$[A-Za-z_][A-Za-z0-9_]*$/.test(v)) return `"${v}" must be a number or a "$param"`;
    const p = Object.hasOwn(params, v.slice(1)) ? params[v.slice(1)] : undefined;
    if (p === undefined) return `"${v}" names no declared param`;
    return isPeriod && !(Number.isInteger(p.min) && Number.isInteger(p.step) && p.min >= 1) ? `param ${v} is a length: give it an integer min ≥ 1 and an integer step` : null;
  }
  if (isPeriod) return Number.isInteger(v) && v >= 1 ? null : `a length must be an integer ≥ 1, got ${v}`;
  return v > 0 ? null : `must be > 0, got ${v}`;
}

function pctOrNull(v: number, key: string, note: (path: Array<string | number>, m: string) => void): number | null {
  if (v === 0) return null;
  if (!(v > 0 && v <= 100)) note([key], `a percentage in (0, 100], or 0 for none; got ${v}`);
  return v;
}

function usedParams(spec: Spec): Set<string> {
  const used = new Set<string>();
  const visit = (v: unknown): void => {
    if (typeof v === 'string' && /^-?\$/.test(v)) used.add(v.replace(/^-?\$/, ''));
    else if (Array.isArray(v)) v.forEach(visit);
    else if (v !== null && typeof v === 'object') Object.values(v).forEach(visit);
  };
  visit(spec.indicators);
  visit(spec.rules);
  return used;
}

/** A spec path that has a counterpart in the reply (meta.style, the stop) is named as the reply names it. */
function wirePath(path: ReadonlyArray<PropertyKey>): Array<string | number> {
  const p = path.map((x) => (typeof x === 'number' ? x : String(x)));
  if (p[0] === 'risk') return p.slice(1);
  return p;
}

/** Indicator fns with their positional args and outputs, for the request text. */
export function indicatorCatalogue(): string {
  return FNS.map((fn) => {
    const s = FN_SHAPES[fn];
    const outs = INDICATOR_OUTPUTS[fn];
    return `- ${fn}(${s.args.join(', ')})${s.source === null ? ' (reads the whole bar; source is ignored)' : ''}${outs === null ? '' : ` → outputs ${outs.map((x) => `"id.${x}"`).join(', ')}`}`;
  }).join('\n');
}

/** Costs the idea text states in the rule language's words ("fees 2 bps", "slippage 1.5 bps"); null where it does not. */
export function statedCosts(idea: string): StatedCosts {
  const read = (word: string): number | null => {
    const m = new RegExp(`\\b${word}\\s+(\\d+(?:\\.\\d+)?)\\s*bps\\b`, 'i').exec(idea);
    return m === null ? null : Number(m[1]);
  };
  return { fees_bps: read('fees'), slippage_bps: read('slippage') };
}
