/**
 * Refusals say where. test/agents/translate-fuzz.test.ts shows that no rule program or Pine script
 * crashes the translator; this fuzzer plants one known error in an otherwise valid, randomly built
 * program and checks the refusal points at it:
 * - rule language (one statement per line): `<source>: statement K (line K), column C: …` for the
 *   statement that holds the error;
 * - Pine: `<source>:L: …` at the planted line (or the next, where an unfinished expression continues).
 * Every tenth case goes through `gauntlet translate FILE` (in-process main): exit 2, the file named,
 * no stack trace.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { translate } from '../../src/agents/translate/index.ts';
import { UserError } from '../../src/core/errors.ts';
import { STACK_FRAME, inproc, workspace } from '../research/helpers.ts';
import { mulberry32 } from '../support/mulberry32.ts';

const ws = workspace('fuzz-translate');
afterAll(() => ws.cleanup());

const CASES = 1600;

function rng(seed: number) {
  const next = mulberry32(seed);
  const int = (n: number): number => Math.floor(next() * n);
  return { next, int, pick: <T>(xs: readonly T[]): T => xs[int(xs.length)]! };
}

/** A valid rule program, one statement per line, and the index of a line whose condition can take a planted error. */
function ruleProgram(r: ReturnType<typeof rng>): { lines: string[]; conditionLines: number[] } {
  const n = (): number => 2 + r.int(60);
  const operand = (): string => r.pick([
    () => r.pick(['open', 'high', 'low', 'close', 'volume']) + (r.next() < 0.3 ? `[${1 + r.int(4)}]` : ''),
    () => String(r.int(200)), () => `sma(${n()})`, () => `ema(close, ${n()})`, () => `rsi(${n()})`, () => `bb(${n()}, 2).${r.pick(['upper', 'middle', 'lower'])}`,
    () => `macd(12, 26, ${n()}).${r.pick(['macd', 'signal', 'histogram'])}`, () => `stoch(${n()}, 3).${r.pick(['k', 'd'])}`, () => '$p', () => `highest(high, ${n()})[1]`,
  ])();
  const cond = (): string => {
    const one = (): string => `${operand()} ${r.pick(['<', '<=', '>', '>=', 'crosses above', 'crosses below'])} ${operand()}`;
    return r.next() < 0.6 ? one() : `${one()} ${r.pick(['and', 'or'])} ${one()}`;
  };
  const lines = [`param p = ${n()} in [1, 100]`, `buy when ${cond()}`];
  for (let i = 0, m = r.int(4); i < m; i++) lines.push(`${r.pick(['buy', 'sell', 'short', 'cover'])} when ${cond()}`);
  if (r.next() < 0.5) lines.push(`stop ${1 + r.int(20)}%`);
  if (r.next() < 0.3) lines.push(`fees ${r.int(10)} bps`);
  // Shuffle everything after the param (a param must come before its use? it need not, but keep it first).
  const rest = lines.slice(1);
  for (let i = rest.length - 1; i > 0; i--) { const j = r.int(i + 1); [rest[i], rest[j]] = [rest[j]!, rest[i]!]; }
  const all = [lines[0]!, ...rest];
  return { lines: all, conditionLines: all.map((l, i) => (l.includes(' when ') ? i : -1)).filter((i) => i >= 0) };
}

/** Errors that belong to the statement they sit in. */
const RULE_ERRORS: Array<[string, (cond: string) => string]> = [
  ['unknown function', (c) => c.replace(/^/, 'foo(3) > 1 and ')],
  ['bad operator', (c) => `close =< open and ${c}`],
  ['unbalanced parenthesis', (c) => `(${c}`],
  ['missing operand', (c) => `${c} and close >`],
  ['half a crossing', (c) => `close crosses open or ${c}`],
  ['undeclared param', (c) => `$zz > 1 and ${c}`],
  ['unknown output', (c) => `bb(20, 2).nope > close and ${c}`],
  ['stray character', (c) => `${c} @`],
  ['lag of zero', (c) => `close[0] > open and ${c}`],
  ['negative lag', (c) => `close[-1] > open and ${c}`],
];

const PINE_BASE = ['//@version=5', 'strategy("fuzz")', 'len = input.int(14, minval=2, maxval=50)', 'r = ta.rsi(close, len)', 'f = ta.sma(close, 20)', 's = ta.ema(close, 50)'];
const PINE_TAIL = ['if r < 30 and f > s', '    strategy.entry("L", strategy.long)', 'if r > 70', '    strategy.close("L")'];
/** Lines the subset refuses wherever they stand, and syntax errors. */
const PINE_ERRORS = [
  'x = request.security(syminfo.tickerid, "D", close)', 'var float y = 0', 'for i = 0 to 3', 'a = array.new_float()', 'z = close[-1] > open',
  'strategy.entry("S", strategy.short, qty=2)', 'w = (close + ', 'u = close > > open', 'v = ta.sma(close, len',
  'while close > open', 'm = matrix.new<float>(2, 2)', 'h = request.financial("AAPL", "EPS", "FQ")', 'strategy.order("O", strategy.long)',
  // The constructs added with position guards, na tests and the annotation: each misuse is named on its line.
  'strategy.entry("B", strategy.long, stop=high)', '// @gauntlet market=moon', 'strategy.close("L", when=na(close))',
  'strategy.close("L", when=strategy.position_size > close)', 'strategy.close("L", when=close > open or strategy.position_size > 0)', 'if (close > open',
];

const tally = { rules: 0, pine: 0, cli: 0 };

describe('refusals name the statement or line of the error', () => {
  it(`${CASES} rule programs and Pine scripts with one planted error`, async () => {
    const r = rng(0x7a1e);
    for (let i = 0; i < CASES; i++) {
      const pine = i % 2 === 1;
      let text: string;
      let where: RegExp;
      let what: string;
      const source = `fuzz${i}.${pine ? 'pine' : 'txt'}`;
      if (!pine) {
        tally.rules++;
        const { lines, conditionLines } = ruleProgram(r);
        const k = r.pick(conditionLines);
        const [name, plant] = r.pick(RULE_ERRORS);
        const [head, cond] = lines[k]!.split(' when ') as [string, string];
        lines[k] = `${head} when ${plant(cond)}`;
        text = lines.join('\n');
        where = new RegExp(`^${source.replace('.', '\\.')}: statement ${k + 1} \\(line ${k + 1}\\), column \\d+: \\S`);
        what = `${name} in statement ${k + 1}`;
      } else {
        tally.pine++;
        // The input first (the others may use it), the rest in a random order.
        const body = [...PINE_BASE.slice(3)];
        for (let j = body.length - 1; j > 0; j--) { const m = r.int(j + 1); [body[j], body[m]] = [body[m]!, body[j]!]; }
        const lines = [...PINE_BASE.slice(0, 3), ...body, ...PINE_TAIL];
        const at = 2 + r.int(lines.length - 2); // before any line after the header, at top level
        const bad = r.pick(PINE_ERRORS);
        // Not inside an if block: insert before an `if` line or at the end of the declarations.
        const insertAt = lines[at]!.startsWith('    ') ? at + 1 : at;
        lines.splice(insertAt, 0, bad);
        text = lines.join('\n');
        const L = insertAt + 1;
        // A syntax error also names the column (FILE:LINE:COL: syntax error: …).
        where = new RegExp(`^${source.replace('.', '\\.')}:(${L}|${L + 1})(:\\d+)?: \\S`);
        what = `"${bad}" at line ${L}`;
      }
      const label = `case ${i} (${what}):\n${text}`;
      let err: unknown = null;
      try {
        translate(text, { source });
      } catch (e) {
        err = e;
      }
      expect(err, label).toBeInstanceOf(UserError);
      const msg = (err as UserError).message;
      expect(msg, label).toMatch(where);
      expect(msg, label).not.toMatch(STACK_FRAME);
      if (i % 10 === 0) {
        tally.cli++;
        const file = join(ws.dir, source);
        writeFileSync(file, text);
        const out = await inproc(['translate', file], ws.env);
        expect(out.code, `${label}\n${out.stderr}`).toBe(2);
        expect(out.stderr, label).toContain(source);
        expect(out.stderr, label).not.toMatch(STACK_FRAME);
        expect(out.stderr, label).not.toMatch(/internal error/);
      }
    }
    console.log(`translate message fuzz: ${JSON.stringify(tally)}`);
  }, 120_000);
});
