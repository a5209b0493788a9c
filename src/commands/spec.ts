/** `gauntlet spec`: show | validate | diff — reading spec files without running them. */
import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import { UserError } from '../core/errors.ts';
import { DEFAULT_LIMITS, measureComplexity, type Complexity, type ComplexityLimits } from '../core/spec/complexity.ts';
import { logicHash, paramsHash, specId } from '../core/spec/hash.ts';
import { parseSpecText } from '../core/spec/parse.ts';
import { diffSpecs, type DiffVerdict } from '../core/spec/diff.ts';
import { RULES, RULE_LABEL, ruleText } from '../core/report/spec-text.ts';
import { INDICATOR_OUTPUTS, PRICE_FIELDS, type Condition, type Param, type Spec } from '../core/spec/schema.ts';
import { compile, type CompiledSpec } from '../engine/compiler/compile.ts';
import { planIndicators } from '../engine/compiler/plan.ts';
import { parseCommandArgs, requireNumber } from './args.ts';
import { table } from './format.ts';
import type { Io } from './io.ts';
import { MAX_TEXT_BYTES, readInputText } from '../core/input-file.ts';

const HELP = `Usage: gauntlet spec <command> [options]     (gauntlet spec <command> --help for details)

Commands:
  show FILE          a readable summary: params and ranges, indicators, rules in words, risk,
                     costs, hashes, complexity against its limits, warm-up
  validate FILE...   schema and compile check of each file; unused params are warnings
  diff A B           what changed from A to B, by JSON path, and whether the logic changed
                     or only the param values

Exit codes: 0 success, 2 an invalid spec or bad usage (message on stderr).
`;

const SHOW_HELP = `Usage: gauntlet spec show FILE [--json]

Prints a spec in words: name, idea, meta, each param with its value and optimiser range, each
indicator with its arguments (params resolved) and warm-up, the rules as readable conditions
(\`rsi < $lo and close < bb.lower → long\`), risk, fees and slippage, the logic_hash, params_hash
and id, the complexity against the gate's limits (docs/gates.md), and the warm-up in bars.

  --json    print one JSON object: the spec plus everything derived from it

Exit codes: 0 the spec is valid; 2 it is not (it is still shown when the schema accepts it;
the compile error goes to stderr) or bad usage.
`;

const VALIDATE_HELP = `Usage: gauntlet spec validate FILE... [--json] [--max-indicators N] [--max-conditions N] [--max-params N]

Checks each spec file: JSON syntax (line and column), the schema (every problem with its JSON
path), and compilation: param values in range and on their step grid, every reference defined
and of the right output (bb.lower, not bb), static causality, the complexity limits, and at
least one entry rule. Prints "ok FILE" for each valid file; errors and warnings (params that no
indicator or rule reads) go to stderr, each naming the file and the JSON path.

  --json               print one JSON object {ok, files: [{file, ok, errors, warnings, …}]}
  --max-indicators N   tighten the limit of 5 indicators
  --max-conditions N   tighten the limit of 6 conditions per side
  --max-params N       tighten the limit of 6 optimisable params
                       (limits can only be tightened here: a looser gate is a new research config)

Exit codes: 0 every file is valid (warnings allowed); 2 any file is invalid, or bad usage.
`;

const DIFF_HELP = `Usage: gauntlet spec diff A B [--json]

Compares two spec files structurally and lists every difference by JSON path:
  params.lo.value: 30 → 25          a changed value
  + indicators.ema: {…}             added in B
  - indicators.bb: {…}              removed in B
then the rules that changed, in words, and the verdict from the hashes: identical, a label-only
change (name, idea, parent), a param-only change (same logic_hash: a re-tuning of the same
strategy) or a logic change (a different logic_hash: a new strategy for the gates and the ledger).

  --json    print one JSON object {a, b, verdict, logic_changed, hashes, changes, rules}

Exit codes: 0 compared (whether or not they differ); 2 either file is not a valid spec, or bad usage.
`;

export async function run(argv: string[], io: Io): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub === undefined || sub === '--help' || sub === '-h' || sub === 'help') { io.out(HELP); return 0; }
  switch (sub) {
    case 'show': return show(rest, io);
    case 'validate': return validate(rest, io);
    case 'diff': return diff(rest, io);
    default:
      throw new UserError(`gauntlet spec: unknown command "${sub}"\n\n${HELP}`);
  }
}

// ---- reading -------------------------------------------------------------------------------------

function readSpecText(io: Io, file: string): string {
  const path = resolve(io.cwd, file);
  try {
    if (statSync(path).isDirectory()) throw new UserError(`${file}: is a directory, not a spec file`);
    return readInputText(path, file, MAX_TEXT_BYTES, 'spec');
  } catch (e) {
    if (e instanceof UserError) throw e;
    const code = (e as NodeJS.ErrnoException).code;
    throw new UserError(code === 'ENOENT' ? `${file}: no such file` : `${file}: cannot read the spec (${code ?? String(e)})`);
  }
}

/** Reads and validates a spec file; every problem is a UserError naming the file (and line or JSON path). */
export function loadSpecFile(io: Io, file: string): Spec {
  return parseSpecText(readSpecText(io, file), file);
}

const OPERAND_REF = /^([A-Za-z_][A-Za-z0-9_]*)(?:\.([A-Za-z_][A-Za-z0-9_]*))?(?:\[[0-9]+\])?$/;

/**
 * References to names the spec does not define but every JS object inherits (`constructor`,
 * `toString`, …): checked with own-property lookups before compiling, so they get the same
 * message as any other undefined name.
 */
function inheritedNameProblem(spec: Spec): string | null {
  const paramNames = Object.keys(spec.params).join(', ') || '(none)';
  const param = (v: unknown, where: string): string | null => {
    if (typeof v !== 'string' || !/^-?\$/.test(v)) return null;
    const name = v.replace(/^-?\$/, '');
    return Object.hasOwn(spec.params, name) ? null : `${where}: "${v}" names no param; params are: ${paramNames}`;
  };
  for (const [id, def] of Object.entries(spec.indicators)) {
    for (const [key, v] of Object.entries(def)) {
      const p = key === 'fn' || key === 'source' ? null : param(v, `indicators.${id}.${key}`);
      if (p !== null) return p;
    }
  }
  let problem: string | null = null;
  const operand = (x: number | string, where: string): void => {
    if (problem !== null || typeof x !== 'string') return;
    problem = param(x, where);
    if (problem !== null || /^-?\$/.test(x)) return;
    const m = OPERAND_REF.exec(x);
    if (m === null) return; // the compiler words this one
    const [, head, output] = m;
    if (output === undefined && (PRICE_FIELDS as readonly string[]).includes(head!)) return;
    if (!Object.hasOwn(spec.indicators, head!)) {
      problem = `${where}: "${x}" is neither a price field (${PRICE_FIELDS.join(' ')}) nor an indicator id (${Object.keys(spec.indicators).join(', ') || 'none defined'})`;
    }
  };
  for (const rule of RULES) {
    const c = spec.rules[rule];
    if (c !== null) walkComparisons(c, `rules.${rule}`, ([l, , r], where) => { operand(l, `${where}[0]`); operand(r, `${where}[2]`); });
  }
  return problem;
}

/** Compiles a validated spec; a problem becomes a UserError prefixed with the file. */
function compileFile(spec: Spec, file: string, limits: ComplexityLimits): CompiledSpec {
  const inherited = inheritedNameProblem(spec);
  if (inherited !== null) throw new UserError(`${file}: compile ${spec.name}: ${inherited}`);
  try {
    return compile(spec, limits);
  } catch (e) {
    if (e instanceof UserError) throw new UserError(`${file}: ${e.message}`);
    throw e;
  }
}

// ---- rendering -----------------------------------------------------------------------------------


function walkComparisons(c: Condition, where: string, visit: (cmp: [number | string, string, number | string], where: string) => void): void {
  if (Array.isArray(c)) visit(c as [number | string, string, number | string], where);
  else if ('all' in c) c.all.forEach((x, k) => walkComparisons(x, `${where}.all[${k}]`, visit));
  else if ('any' in c) c.any.forEach((x, k) => walkComparisons(x, `${where}.any[${k}]`, visit));
  else walkComparisons(c.not, `${where}.not`, visit);
}

/** Number of values on a param's grid, computed (a huge range must not allocate them). */
function gridCount(p: Param): number {
  return Math.floor((p.max - p.min) / p.step + 1e-9) + 1;
}

function maxLag(spec: Spec): number {
  let m = 0;
  for (const rule of RULES) {
    const c = spec.rules[rule];
    if (c === null) continue;
    walkComparisons(c, '', ([l, , r]) => {
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

function show(argv: string[], io: Io): number {
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
  const { stop_loss_pct: stop, take_profit_pct: target } = spec.risk;
  out.push('');
  out.push(table([
    ['risk', `${stop === null ? 'no stop' : `stop ${stop}%`}, ${target === null ? 'no target' : `target ${target}%`} (from the entry fill)`],
    ['costs', `fees ${spec.execution.fees_bps} bps, slippage ${spec.execution.slippage_bps} bps per fill`],
    ['complexity', complexityText(complexity, DEFAULT_LIMITS)],
    ['warm-up', compiled === null ? '— (does not compile)' : `${compiled.warmup} bar${compiled.warmup === 1 ? '' : 's'} (longest indicator warm-up ${compiled.warmup - lag} + max lag ${lag})`],
  ]));
  out.push('', 'hashes');
  out.push(table([['logic_hash', logicHash(spec)], ['params_hash', paramsHash(spec)], ['id', specId(spec)]]));
  if (unused.length > 0) out.push('', `warning: ${unused.map((u) => `params.${u}`).join(', ')} declared but never used`);
  if (error !== null) out.push('', 'compile: FAILED (see stderr)');
  out.push('');
  return out.join('\n');
}

// ---- validate ------------------------------------------------------------------------------------

interface FileReport {
  file: string;
  ok: boolean;
  errors: string[];
  warnings: string[];
  name?: string;
  logic_hash?: string;
  params_hash?: string;
  id?: string;
  warmup?: number;
}

function limitFlag(raw: string | undefined, flag: string, def: number): number {
  const n = requireNumber('spec validate', flag, raw, { integer: true, min: 1 });
  if (n === undefined) return def;
  if (n > def) throw new UserError(`gauntlet spec validate: --${flag} ${n} would loosen the limit of ${def} (docs/gates.md); limits can only be tightened here`);
  return n;
}

function validate(argv: string[], io: Io): number {
  const { values, positionals } = parseCommandArgs('spec validate', argv, {
    json: { type: 'boolean', default: false },
    'max-indicators': { type: 'string' },
    'max-conditions': { type: 'string' },
    'max-params': { type: 'string' },
    help: { type: 'boolean', short: 'h', default: false },
  }, true);
  if (values.help) { io.out(VALIDATE_HELP); return 0; }
  if (positionals.length === 0) throw new UserError('gauntlet spec validate: give at least one FILE\nRun \'gauntlet spec validate --help\' for usage.');
  const limits: ComplexityLimits = {
    maxIndicators: limitFlag(values['max-indicators'], 'max-indicators', DEFAULT_LIMITS.maxIndicators),
    maxConditionsPerSide: limitFlag(values['max-conditions'], 'max-conditions', DEFAULT_LIMITS.maxConditionsPerSide),
    maxOptimizableParams: limitFlag(values['max-params'], 'max-params', DEFAULT_LIMITS.maxOptimizableParams),
  };
  const reports: FileReport[] = [];
  for (const file of positionals) {
    const report: FileReport = { file, ok: false, errors: [], warnings: [] };
    reports.push(report);
    try {
      const spec = loadSpecFile(io, file);
      Object.assign(report, { name: spec.name, logic_hash: logicHash(spec), params_hash: paramsHash(spec), id: specId(spec) });
      const compiled = compileFile(spec, file, limits);
      report.ok = true;
      report.warmup = compiled.warmup;
      report.warnings = compiled.unusedParams.map((p) => `${file}: warning: params.${p}: declared but never read by an indicator or a rule; remove it or use it`);
    } catch (e) {
      if (!(e instanceof UserError)) throw e;
      report.errors = [e.message];
    }
    if (!values.json && report.ok) io.out(`ok ${file}\n`);
    for (const w of report.warnings) io.err(`${w}\n`);
    for (const m of report.errors) io.err(m.endsWith('\n') ? m : `${m}\n`);
  }
  const bad = reports.filter((r) => !r.ok).length;
  if (values.json) io.out(`${JSON.stringify({ ok: bad === 0, files: reports })}\n`);
  if (bad > 0) {
    io.err(`gauntlet spec validate: ${bad} of ${reports.length} file${reports.length === 1 ? '' : 's'} invalid\n`);
    return 2;
  }
  return 0;
}

// ---- diff ----------------------------------------------------------------------------------------


function diff(argv: string[], io: Io): number {
  const { values, positionals } = parseCommandArgs('spec diff', argv, {
    json: { type: 'boolean', default: false },
    help: { type: 'boolean', short: 'h', default: false },
  }, true);
  if (values.help) { io.out(DIFF_HELP); return 0; }
  if (positionals.length !== 2) throw new UserError(`gauntlet spec diff: give exactly two files, A and B (got ${positionals.length})\nRun 'gauntlet spec diff --help' for usage.`);
  const [fa, fb] = positionals as [string, string];
  const a = loadSpecFile(io, fa);
  const b = loadSpecFile(io, fb);
  const { verdict, logic_changed: logicChanged, changes, rules_changed, ...hashes } = diffSpecs(a, b);
  const rules = rules_changed.map((r) => ({ rule: r, from: ruleText(a, r), to: ruleText(b, r) }));
  if (values.json) {
    io.out(`${JSON.stringify({ a: fa, b: fb, verdict, logic_changed: logicChanged, ...hashes, changes, rules })}\n`);
    return 0;
  }
  const short = (h: string): string => `${h.slice(0, 12)}…`;
  const head: Record<DiffVerdict, string> = {
    identical: `identical: same id ${short(hashes.id.a)}${changes.length > 0 ? ' (only the key order differs)' : ''}`,
    labels_only: `label-only change (name, idea or parent): same logic_hash ${short(hashes.logic_hash.a)} and params_hash ${short(hashes.params_hash.a)}`,
    params_only: `param-only change: same logic_hash ${short(hashes.logic_hash.a)}; params_hash ${short(hashes.params_hash.a)} → ${short(hashes.params_hash.b)}`,
    logic: `logic change: logic_hash ${short(hashes.logic_hash.a)} → ${short(hashes.logic_hash.b)}`,
  };
  const show = (v: unknown): string => JSON.stringify(v) ?? 'undefined';
  const out = [`${fa} → ${fb}: ${head[verdict]}`];
  if (changes.length > 0) {
    out.push('');
    for (const c of changes) {
      if (c.kind === 'changed') out.push(`  ${c.path}: ${show(c.from)} → ${show(c.to)}`);
      else if (c.kind === 'added') out.push(`+ ${c.path}: ${show(c.to)}`);
      else out.push(`- ${c.path}: ${show(c.from)}`);
    }
  }
  if (rules.length > 0) {
    out.push('', 'rules changed');
    for (const r of rules) {
      out.push(`  ${RULE_LABEL[r.rule]}:`);
      out.push(`    - ${r.from ?? '(none)'}`);
      out.push(`    + ${r.to ?? '(none)'}`);
    }
  }
  out.push('');
  io.out(out.join('\n'));
  return 0;
}
