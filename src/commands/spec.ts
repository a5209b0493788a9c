/** `gauntlet spec`: show | validate | diff — reading spec files without running them. */
import { UserError } from '../core/errors.ts';
import { DEFAULT_LIMITS, type ComplexityLimits } from '../core/spec/complexity.ts';
import { logicHash, paramsHash, specId } from '../core/spec/hash.ts';
import { diffSpecs, type DiffVerdict } from '../core/spec/diff.ts';
import { RULE_LABEL, ruleText } from '../core/report/spec-text.ts';
import { parseCommandArgs, requireNumber } from './args.ts';
import type { Io } from './io.ts';
import { compileFile, loadSpecFile } from './spec-read.ts';
import { show } from './spec-show.ts';

const HELP = `Usage: gauntlet spec <command> [options]     (gauntlet spec <command> --help for details)

Commands:
  show FILE          a readable summary: params and ranges, indicators, rules in words, risk,
                     costs, hashes, complexity against its limits, warm-up
  validate FILE...   schema and compile check of each file; unused params are warnings
  diff A B           what changed from A to B, by JSON path, and whether the logic changed
                     or only the param values

Exit codes: 0 success, 2 an invalid spec or bad usage (message on stderr).
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
