/** `gauntlet spec show FILE`: a spec in words — params, indicators, rules, complexity, warm-up. */
import { UserError } from '../core/errors.ts';
import { DEFAULT_LIMITS, measureComplexity, type Complexity, type ComplexityLimits } from '../core/spec/complexity.ts';
import { logicHash, paramsHash, specId } from '../core/spec/hash.ts';
import { RULES, RULE_LABEL, riskLevelText, ruleText } from '../core/report/spec-text.ts';
import { INDICATOR_OUTPUTS, type Param, type Spec } from '../core/spec/schema.ts';
import { forEachComparison } from '../core/spec/references.ts';
import type { CompiledSpec } from '../engine/compiler/compile.ts';
import { planIndicators } from '../engine/compiler/plan.ts';
import { parseCommandArgs } from './args.ts';
import { table } from './format.ts';
import type { Io } from './io.ts';
import { compileFile, loadSpecFile } from './spec-read.ts';

export const SHOW_HELP = `Usage: gauntlet spec show FILE [--json]

Prints a spec in words: name, idea, meta, each param with its value and optimiser range, each
indicator with its arguments (params resolved) and warm-up, the rules as readable conditions
(\`rsi < $lo and close < bb.lower → long\`), risk, fees and slippage, the logic_hash, params_hash
and id, the complexity against the gate's limits (docs/gates.md), and the warm-up in bars.

  --json    print one JSON object: the spec plus everything derived from it

Exit codes: 0 the spec is valid; 2 it is not (it is still shown when the schema accepts it;
the compile error goes to stderr) or bad usage.
`;


// ---- rendering -----------------------------------------------------------------------------------


/** Number of values on a param's grid, computed (a huge range must not allocate them). */
function gridCount(p: Param): number {
  return Math.floor((p.max - p.min) / p.step + 1e-9) + 1;
}

function maxLag(spec: Spec): number {
  let m = 0;
  for (const rule of RULES) {
    const c = spec.rules[rule];
    if (c === null) continue;
    forEachComparison(c, '', ([l, , r]) => {
      for (const x of [l, r]) {
        const lag = typeof x === 'string' ? /\[([0-9]+)\]$/.exec(x) : null;
        if (lag !== null) m = Math.max(m, Number(lag[1]));
      }
    });
  }
  return m;
}

function argText(spec: Spec, v: unknown): string {
  if (typeof v === 'string' && v.startsWith('$')) {
    const p = Object.hasOwn(spec.params, v.slice(1)) ? spec.params[v.slice(1)] : undefined;
    return p === undefined ? v : `${v}=${p.value}`;
  }
  return String(v);
}

interface IndicatorView { id: string; fn: string; call: string; outputs: string[]; warmup: number | null }

function indicatorViews(spec: Spec, compiled: CompiledSpec | null): IndicatorView[] {
  const warm = new Map<string, number>();
  if (compiled !== null) for (const p of planIndicators(spec)) warm.set(p.id, p.warmup);
  return Object.entries(spec.indicators).map(([id, def]) => {
    const args = Object.entries(def).filter(([k]) => k !== 'fn').map(([k, v]) => (k === 'source' ? String(v) : `${k} ${argText(spec, v)}`));
    const outs = INDICATOR_OUTPUTS[def.fn];
    return { id, fn: def.fn, call: `${def.fn}(${args.join(', ')})`, outputs: outs === null ? [id] : outs.map((o) => `${id}.${o}`), warmup: warm.get(id) ?? null };
  });
}

function complexityText(c: Complexity, l: ComplexityLimits): string {
  return [
    `${c.indicators}/${l.maxIndicators} indicators`,
    `${c.longConditions}/${l.maxConditionsPerSide} long-side conditions`,
    `${c.shortConditions}/${l.maxConditionsPerSide} short-side conditions`,
    `${c.optimizableParams}/${l.maxOptimizableParams} optimisable params`,
  ].join(' · ');
}

// ---- show ----------------------------------------------------------------------------------------

export function show(argv: string[], io: Io): number {
  const { values, positionals } = parseCommandArgs('spec show', argv, {
    json: { type: 'boolean', default: false },
    help: { type: 'boolean', short: 'h', default: false },
  }, true);
  if (values.help) { io.out(SHOW_HELP); return 0; }
  if (positionals.length !== 1) throw new UserError(`gauntlet spec show: give exactly one FILE (got ${positionals.length})\nRun 'gauntlet spec show --help' for usage.`);
  const file = positionals[0]!;
  const spec = loadSpecFile(io, file);
  let compiled: CompiledSpec | null = null;
  let error: string | null = null;
  try {
    compiled = compileFile(spec, file, DEFAULT_LIMITS);
  } catch (e) {
    if (!(e instanceof UserError)) throw e;
    error = e.message;
  }
  const complexity = measureComplexity(spec);
  const unused = compiled?.unusedParams ?? [];
  const lag = maxLag(spec);
  const inds = indicatorViews(spec, compiled);
  if (values.json) {
    io.out(`${JSON.stringify({
      file,
      spec,
      logic_hash: logicHash(spec),
      params_hash: paramsHash(spec),
      id: specId(spec),
      rules_text: Object.fromEntries(RULES.map((r) => [r, ruleText(spec, r)])),
      indicators: Object.fromEntries(inds.map((i) => [i.id, { fn: i.fn, call: i.call, outputs: i.outputs, warmup: i.warmup }])),
      complexity: {
        indicators: complexity.indicators,
        long_conditions: complexity.longConditions,
        short_conditions: complexity.shortConditions,
        optimisable_params: complexity.optimizableParams,
        limits: { indicators: DEFAULT_LIMITS.maxIndicators, conditions_per_side: DEFAULT_LIMITS.maxConditionsPerSide, optimisable_params: DEFAULT_LIMITS.maxOptimizableParams },
      },
      warmup: compiled?.warmup ?? null,
      max_lag: lag,
      unused_params: unused,
      valid: error === null,
      error,
    })}\n`);
  } else {
    io.out(showText(spec, file, compiled, inds, unused, lag, complexity, error));
  }
  if (error !== null) { io.err(`${error}\n`); return 2; }
  return 0;
}

function showText(spec: Spec, file: string, compiled: CompiledSpec | null, inds: IndicatorView[], unused: string[], lag: number, complexity: Complexity, error: string | null): string {
  const out: string[] = [];
  out.push(`${spec.name}  (${file})`);
  out.push(table([
    ['idea', spec.idea === '' ? '—' : spec.idea],
    ['meta', `${spec.meta.style.replace('_', ' ')} · ${spec.meta.holding_period} holding · ${spec.meta.volatility_preference} volatility · ${spec.meta.market_type}`],
    ...(spec.parent === undefined ? [] : [['parent', spec.parent] as [string, string]]),
  ]));
  const params = Object.entries(spec.params);
  out.push('', `params (${params.length}, ${complexity.optimizableParams} optimisable)`);
  if (params.length === 0) out.push('  (none)');
  else {
    out.push(table(params.map(([name, p]) => {
      const range = p.max > p.min ? `[${p.min} … ${p.max} step ${p.step}, ${gridCount(p)} values]` : 'fixed';
      return [`$${name}`, `${String(p.value).padEnd(8)} ${range}${unused.includes(name) ? '   unused' : ''}`];
    })));
  }
  out.push('', `indicators (${inds.length})`);
  if (inds.length === 0) out.push('  (none)');
  else {
    out.push(table(inds.map((i) => {
      const outs = i.outputs.length > 1 ? ` → ${i.outputs.join(' ')}` : '';
      return [i.id, `${i.call}${outs}${i.warmup === null ? '' : `   warm-up ${i.warmup}`}`];
    })));
  }
  out.push('', 'rules');
  out.push(table(RULES.map((r) => [RULE_LABEL[r], ruleText(spec, r) ?? '—'])));
  const stop = riskLevelText(spec.risk, 'stop');
  const target = riskLevelText(spec.risk, 'target');
  out.push('');
  out.push(table([
    ['risk', `${stop === null ? 'no stop' : `stop ${stop}`}, ${target === null ? 'no target' : `target ${target}`} (from the entry fill)`],
    ['costs', `fees ${spec.execution.fees_bps} bps, slippage ${spec.execution.slippage_bps} bps per fill`],
    ['complexity', complexityText(complexity, DEFAULT_LIMITS)],
    ['warm-up', compiled === null ? '— (does not compile)' : `${compiled.warmup} bar${compiled.warmup === 1 ? '' : 's'} (${warmupWhy(compiled.warmup, lag, Math.max(spec.risk.stop_atr?.period ?? 0, spec.risk.target_atr?.period ?? 0))})`],
  ]));
  out.push('', 'hashes');
  out.push(table([['logic_hash', logicHash(spec)], ['params_hash', paramsHash(spec)], ['id', specId(spec)]]));
  if (unused.length > 0) out.push('', `warning: ${unused.map((u) => `params.${u}`).join(', ')} declared but never used`);
  if (error !== null) out.push('', 'compile: FAILED (see stderr)');
  out.push('');
  return out.join('\n');
}


/** Where the warm-up comes from: the indicators and lags, or the ATR a stop or target needs before any entry. */
function warmupWhy(warmup: number, lag: number, atrPeriod: number): string {
  return atrPeriod === warmup && atrPeriod > 0
    ? `ATR(${atrPeriod}) of the stop/target, which entries wait for`
    : `longest indicator warm-up ${warmup - lag} + max lag ${lag}`;
}
