/** `gauntlet spec show | validate | diff`, in-process through the CLI's main(). */
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { main } from '../../src/cli.ts';
import { bufferIo } from '../../src/commands/io.ts';
import {  } from '../../src/commands/spec.ts';
import { jsonErrorOffset } from '../../src/core/spec/json-checks.ts';
import { logicHash, paramsHash, specId } from '../../src/core/spec/hash.ts';
import { parseSpecText } from '../../src/core/spec/parse.ts';

const REPO = join(import.meta.dirname, '..', '..');
const SPEC_FILES = readdirSync(join(REPO, 'specs')).filter((f) => f.endsWith('.json')).sort();
const rawSpec = (file: string): Record<string, any> => JSON.parse(readFileSync(join(REPO, 'specs', file), 'utf8')); // eslint-disable-line @typescript-eslint/no-explicit-any
const loaded = (file: string) => parseSpecText(readFileSync(join(REPO, 'specs', file), 'utf8'), file);

let dir: string;
beforeEach(() => { dir = mkdtempSync(join(tmpdir(), 'gauntlet-spec-')); });
const write = (name: string, value: unknown): string => {
  writeFileSync(join(dir, name), typeof value === 'string' ? value : `${JSON.stringify(value, null, 2)}\n`);
  return name;
};

async function gauntlet(args: string[], cwd = REPO) {
  const io = bufferIo({}, cwd);
  const code = await main(['spec', ...args], io);
  return { code, out: io.stdout(), err: io.stderr() };
}

describe('gauntlet spec: help and usage', () => {
  it('prints help at every level and exits 0', async () => {
    const top = await gauntlet([]);
    expect(top.code).toBe(0);
    expect(top.out).toMatch(/show FILE[\s\S]*validate FILE\.\.\.[\s\S]*diff A B/);
    expect((await gauntlet(['--help'])).out).toBe(top.out);
    for (const sub of ['show', 'validate', 'diff']) {
      const r = await gauntlet([sub, '--help']);
      expect(r.code).toBe(0);
      expect(r.out).toMatch(new RegExp(`^Usage: gauntlet spec ${sub} `));
      expect(r.out).toContain('--json');
    }
  });

  it('usage errors exit 2 with a message on stderr', async () => {
    const cases: Array<[string[], string]> = [
      [['frobnicate'], 'gauntlet spec: unknown command "frobnicate"'],
      [['show'], 'gauntlet spec show: give exactly one FILE (got 0)'],
      [['show', 'a.json', 'b.json'], 'give exactly one FILE (got 2)'],
      [['validate'], 'gauntlet spec validate: give at least one FILE'],
      [['diff', 'a.json'], 'gauntlet spec diff: give exactly two files, A and B (got 1)'],
      [['show', 'specs/rsi-reversion.json', '--bogus'], 'gauntlet spec show: unknown option --bogus'],
      [['validate', 'specs/rsi-reversion.json', '--max-indicators', 'two'], '--max-indicators must be an integer ≥ 1, got "two"'],
      [['validate', 'specs/rsi-reversion.json', '--max-indicators', '9'], '--max-indicators 9 would loosen the limit of 5'],
      [['show', 'specs/nope.json'], 'specs/nope.json: no such file'],
      [['show', 'specs'], 'specs: is a directory, not a spec file'],
    ];
    for (const [args, message] of cases) {
      const r = await gauntlet(args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.err).toContain(message);
      expect(r.out).toBe('');
    }
  });
});

describe('gauntlet spec show', () => {
  it('renders params with ranges, indicators, rules in words, risk, costs, hashes, complexity and warm-up', async () => {
    const r = await gauntlet(['show', 'specs/rsi-reversion.json']);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const spec = loaded('rsi-reversion.json');
    const out = r.out;
    expect(out).toMatch(/^rsi-reversion {2}\(specs\/rsi-reversion\.json\)\n/);
    expect(out).toContain('idea  Buy oversold dips below the lower Bollinger band, sell when RSI recovers');
    expect(out).toContain('meta  mean reversion · short holding · high volatility · equities');
    expect(out).toContain('params (3, 3 optimisable)');
    // len 2…50 step 1 has 49 grid values; lo 5…45 step 5 has 9; hi 55…95 step 5 has 9.
    expect(out).toMatch(/^ {2}\$len +14 +\[2 … 50 step 1, 49 values\]$/m);
    expect(out).toMatch(/^ {2}\$lo +30 +\[5 … 45 step 5, 9 values\]$/m);
    expect(out).toMatch(/^ {2}\$hi +70 +\[55 … 95 step 5, 9 values\]$/m);
    expect(out).toMatch(/^ {2}rsi +rsi\(close, period \$len=14\) +warm-up 14$/m);
    expect(out).toMatch(/^ {2}bb +bbands\(close, period 20, stddev 2\) → bb\.upper bb\.middle bb\.lower +warm-up 19$/m);
    expect(out).toMatch(/^ {2}long entry +rsi < \$lo and close < bb\.lower → long$/m);
    expect(out).toMatch(/^ {2}long exit +rsi > \$hi → exit long$/m);
    expect(out).toMatch(/^ {2}short entry +—$/m);
    expect(out).toMatch(/^ {2}risk +stop 5%, no target/m);
    expect(out).toMatch(/^ {2}costs +fees 1 bps, slippage 0 bps per fill$/m);
    expect(out).toMatch(/^ {2}complexity +2\/5 indicators · 3\/6 long-side conditions · 0\/6 short-side conditions · 3\/6 optimisable params$/m);
    expect(out).toMatch(/^ {2}warm-up +19 bars \(longest indicator warm-up 19 \+ max lag 0\)$/m);
    expect(out).toMatch(new RegExp(`^ {2}logic_hash +${logicHash(spec)}$`, 'm'));
    expect(out).toMatch(new RegExp(`^ {2}params_hash +${paramsHash(spec)}$`, 'm'));
    expect(out).toMatch(new RegExp(`^ {2}id +${specId(spec)}$`, 'm'));
  });

  it('nested groups, not, lags and negated params read naturally', async () => {
    const t = await gauntlet(['show', 'specs/trend-filtered-rsi.json']);
    expect(t.out).toMatch(/^ {2}long exit +r > \$exit or not \(ef > es\) → exit long$/m);
    const d = await gauntlet(['show', 'specs/donchian-breakout.json']);
    expect(d.out).toMatch(/^ {2}short entry +close < lo\[1\] → short$/m);
    expect(d.out).toMatch(/^ {2}warm-up +20 bars \(longest indicator warm-up 19 \+ max lag 1\)$/m);
    const c = await gauntlet(['show', 'specs/cci-extremes.json']);
    expect(c.out).toMatch(/^ {2}long entry +cci crosses above -\$lvl → long$/m);
    const s = rawSpec('rsi-reversion.json');
    s.rules.long_entry = { all: [['rsi', '<', '$lo'], { any: [['close', '<', 'bb.lower'], ['close', 'crosses_below', 'bb.middle']] }] };
    const n = await gauntlet(['show', write('nested.json', s)], dir);
    expect(n.out).toMatch(/^ {2}long entry +rsi < \$lo and \(close < bb\.lower or close crosses below bb\.middle\) → long$/m);
  });

  it('--json: one object with the spec and everything derived from it', async () => {
    const r = await gauntlet(['show', 'specs/macd-signal-cross.json', '--json']);
    expect(r.code).toBe(0);
    expect(r.out.trim().split('\n')).toHaveLength(1);
    const o = JSON.parse(r.out);
    const spec = loaded('macd-signal-cross.json');
    expect(o.spec).toEqual(spec);
    expect([o.logic_hash, o.params_hash, o.id]).toEqual([logicHash(spec), paramsHash(spec), specId(spec)]);
    expect(o.rules_text).toEqual({ long_entry: 'macd.macd crosses above macd.signal → long', long_exit: 'macd.macd crosses below macd.signal → exit long', short_entry: null, short_exit: null });
    // MACD(12, 26, 9): EMA(26) from bar 25, the signal EMA(9) over line values 25…33 → warm-up 33.
    expect(o.warmup).toBe(33);
    expect(o.indicators.macd).toEqual({ fn: 'macd', call: 'macd(close, fast $fast=12, slow $slow=26, signal $sig=9)', outputs: ['macd.macd', 'macd.signal', 'macd.histogram'], warmup: 33 });
    expect(o.complexity).toEqual({ indicators: 1, long_conditions: 2, short_conditions: 0, optimisable_params: 3, limits: { indicators: 5, conditions_per_side: 6, optimisable_params: 6 } });
    expect([o.valid, o.error, o.unused_params]).toEqual([true, null, []]);
  });

  it('a spec that does not compile is still shown, with the error on stderr and exit 2', async () => {
    const s = rawSpec('rsi-reversion.json');
    s.params.lo.value = 32;
    const r = await gauntlet(['show', write('offgrid.json', s)], dir);
    expect(r.code).toBe(2);
    expect(r.out).toContain('compile: FAILED (see stderr)');
    expect(r.out).toMatch(/warm-up +— \(does not compile\)/);
    expect(r.err).toBe('offgrid.json: compile rsi-reversion: params.lo: param "lo" = 32 is not on its grid 5 + k·5\n');
    const j = JSON.parse((await gauntlet(['show', 'offgrid.json', '--json'], dir)).out);
    expect([j.valid, j.warmup]).toEqual([false, null]);
    expect(j.error).toContain('params.lo');
  });
});

describe('gauntlet spec validate', () => {
  it('every example spec is valid: "ok FILE" for each, exit 0, nothing on stderr', async () => {
    const r = await gauntlet(['validate', ...SPEC_FILES.map((f) => `specs/${f}`)]);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toBe(SPEC_FILES.map((f) => `ok specs/${f}\n`).join(''));
  });

  it('reports each invalid file with its path and the JSON path, keeps going, and exits 2', async () => {
    const offGrid = rawSpec('rsi-reversion.json');
    offGrid.params.lo.value = 32;
    const badOutput = rawSpec('rsi-reversion.json');
    badOutput.rules.long_exit = { any: [['rsi', '>', '$hi'], ['close', '>', 'bb']] };
    const unused = rawSpec('rsi-reversion.json');
    unused.params.spare = { value: 1, min: 0, max: 2, step: 1 };
    const schema = rawSpec('rsi-reversion.json');
    schema.indicators.rsi.fn = 'rsx';
    const tooMany = rawSpec('rsi-reversion.json');
    for (const id of ['a', 'b', 'c', 'd']) tooMany.indicators[id] = { fn: 'sma', period: 5 };
    const files = [write('a-offgrid.json', offGrid), write('b-output.json', badOutput), write('c-unused.json', unused), write('d-schema.json', schema), write('e-many.json', tooMany), 'f-missing.json'];
    const r = await gauntlet(['validate', ...files], dir);
    expect(r.code).toBe(2);
    expect(r.out).toBe('ok c-unused.json\n');
    const err = r.err;
    expect(err).toContain('a-offgrid.json: compile rsi-reversion: params.lo: param "lo" = 32 is not on its grid 5 + k·5\n');
    expect(err).toContain('b-output.json: compile rsi-reversion: rules.long_exit.any[1][2]: indicator "bb" (bbands) needs an output: bb.upper, bb.middle, bb.lower\n');
    expect(err).toContain('c-unused.json: warning: params.spare: declared but never read by an indicator or a rule; remove it or use it\n');
    expect(err).toContain('d-schema.json: indicators.rsi.fn: fn must be one of sma ema wma rsi');
    expect(err).toContain('e-many.json: compile rsi-reversion: too complex: 6 indicators > 5 allowed');
    expect(err).toContain('f-missing.json: no such file\n');
    expect(err.trimEnd().split('\n').at(-1)).toBe('gauntlet spec validate: 5 of 6 files invalid');
  });

  it('--json: one object with a report per file', async () => {
    const unused = rawSpec('inside-bar.json');
    unused.params.spare = { value: 1, min: 0, max: 2, step: 1 };
    write('unused.json', unused);
    write('broken.json', '{"schema": ');
    const r = await gauntlet(['validate', '--json', 'unused.json', 'broken.json', join(REPO, 'specs/rsi-reversion.json')], dir);
    expect(r.code).toBe(2);
    expect(r.out.trim().split('\n')).toHaveLength(1);
    const o = JSON.parse(r.out);
    expect(o.ok).toBe(false);
    expect(o.files.map((f: { file: string; ok: boolean }) => [f.file.replace(REPO, '<repo>'), f.ok])).toEqual([['unused.json', true], ['broken.json', false], ['<repo>/specs/rsi-reversion.json', true]]);
    expect(o.files[0].warnings).toEqual(['unused.json: warning: params.spare: declared but never read by an indicator or a rule; remove it or use it']);
    expect(o.files[0].warmup).toBe(1);
    expect(o.files[1].errors).toHaveLength(1);
    expect(o.files[1].errors[0]).toMatch(/^broken\.json: not valid JSON at line 1, column 12: /);
    const spec = loaded('rsi-reversion.json');
    expect(o.files[2]).toMatchObject({ name: 'rsi-reversion', logic_hash: logicHash(spec), params_hash: paramsHash(spec), id: specId(spec), errors: [], warnings: [], warmup: 19 });
  });

  it('--max-* flags tighten the complexity limits', async () => {
    const r = await gauntlet(['validate', 'specs/rsi-reversion.json', 'specs/inside-bar.json', '--max-indicators', '1', '--max-params', '2']);
    expect(r.code).toBe(2);
    expect(r.out).toBe('ok specs/inside-bar.json\n');
    expect(r.err).toContain('specs/rsi-reversion.json: compile rsi-reversion: too complex: 2 indicators > 1 allowed; 3 optimisable params > 2 allowed');
    const c = await gauntlet(['validate', 'specs/rsi-reversion.json', '--max-conditions', '2']);
    expect(c.err).toContain('3 long-side conditions > 2 allowed');
  });

  it('syntax errors get a line and column even where the runtime gives no position', async () => {
    // Line 2 is `  "schema": oops`: the o of oops is column 13.
    write('token.json', '{\n  "schema": oops\n}\n');
    const r = await gauntlet(['validate', 'token.json'], dir);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/^token\.json: not valid JSON at line 2, column 13: /);
    write('empty.json', '');
    expect((await gauntlet(['validate', 'empty.json'], dir)).err).toMatch(/^empty\.json: not valid JSON at line 1, column 1: /);
  });

  it('names that every JS object inherits are undefined names, not crashes', async () => {
    for (const operand of ['constructor', 'toString', '__proto__', 'constructor.x']) {
      const s = rawSpec('rsi-reversion.json');
      s.rules.long_exit = ['rsi', '>', operand];
      const r = await gauntlet(['validate', write('inherited.json', s)], dir);
      expect(r.code, operand).toBe(2);
      expect(r.err).toContain(`inherited.json: compile rsi-reversion: rules.long_exit[2]: "${operand}" is neither a price field (open high low close volume) nor an indicator id (rsi, bb)`);
    }
    const p = rawSpec('rsi-reversion.json');
    p.rules.long_exit = ['rsi', '>', '$constructor'];
    const r = await gauntlet(['validate', write('param.json', p)], dir);
    expect(r.err).toContain('param.json: compile rsi-reversion: rules.long_exit[2]: "$constructor" names no param; params are: len, lo, hi');
    const i = rawSpec('rsi-reversion.json');
    i.indicators.rsi.period = '$toString';
    expect((await gauntlet(['validate', write('arg.json', i)], dir)).err).toContain('arg.json: compile rsi-reversion: indicators.rsi.period: "$toString" names no param');
  });

  it('"__proto__" keys and absurd nesting are refused with a path, not dropped or overflowed', async () => {
    const text = readFileSync(join(REPO, 'specs/rsi-reversion.json'), 'utf8');
    write('proto.json', text.replace('"params": {', '"params": {\n    "__proto__": {"value": 1, "min": 0, "max": 2, "step": 1},'));
    const p = await gauntlet(['validate', 'proto.json'], dir);
    expect(p.code).toBe(2);
    expect(p.err).toContain('proto.json: params.__proto__: "__proto__" cannot be a name in a spec; rename it');
    let cond = '["rsi", ">", "$hi"]';
    for (let d = 0; d < 10_000; d++) cond = `{"not": ${cond}}`;
    const deep = JSON.stringify(rawSpec('rsi-reversion.json')).replace('"long_exit":{"any":[["rsi",">","$hi"]]}', `"long_exit":${cond}`);
    expect(deep.length).toBeGreaterThan(80_000);
    write('deep.json', deep);
    const d = await gauntlet(['validate', 'deep.json'], dir);
    expect(d.code).toBe(2);
    expect(d.err).toMatch(/^deep\.json: rules\.long_exit\.not\.not(\.not)*…: nested more than 100 levels deep/);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe('gauntlet spec diff', () => {
  it('a param-only change: the path, old → new, and the same logic hash', async () => {
    const b = rawSpec('rsi-reversion.json');
    b.params.lo.value = 25;
    const r = await gauntlet(['diff', join(REPO, 'specs/rsi-reversion.json'), write('b.json', b)], dir);
    expect(r.code).toBe(0);
    const spec = loaded('rsi-reversion.json');
    expect(r.out).toContain(`param-only change: same logic_hash ${logicHash(spec).slice(0, 12)}…`);
    expect(r.out).toContain('\n  params.lo.value: 30 → 25\n');
    expect(r.out).not.toContain('rules changed');
  });

  it('a logic change: added and removed indicators, changed rule operands, and the rules in words', async () => {
    const b = rawSpec('rsi-reversion.json');
    delete b.indicators.bb;
    b.indicators.trend = { fn: 'ema', period: 50 };
    b.rules.long_entry.all[1] = ['close', '>', 'trend'];
    b.params.hi.max = 90;
    const r = await gauntlet(['diff', join(REPO, 'specs/rsi-reversion.json'), write('b.json', b)], dir);
    expect(r.code).toBe(0);
    const [a, bb] = [loaded('rsi-reversion.json'), parseSpecText(JSON.stringify(b), 'b')];
    expect(r.out).toContain(`logic change: logic_hash ${logicHash(a).slice(0, 12)}… → ${logicHash(bb).slice(0, 12)}…`);
    const lines = r.out.split('\n');
    expect(lines).toContain('  params.hi.max: 95 → 90');
    expect(lines).toContain('- indicators.bb: {"fn":"bbands","source":"close","period":20,"stddev":2}');
    expect(lines).toContain('+ indicators.trend: {"fn":"ema","period":50}');
    expect(lines).toContain('  rules.long_entry.all[1][1]: "<" → ">"');
    expect(lines).toContain('  rules.long_entry.all[1][2]: "bb.lower" → "trend"');
    expect(r.out).toContain('rules changed\n  long entry:\n    - rsi < $lo and close < bb.lower → long\n    + rsi < $lo and close > trend → long\n');
  });

  it('label-only, identical, and key order alone', async () => {
    const renamed = rawSpec('rsi-reversion.json');
    renamed.name = 'rsi-reversion-2';
    renamed.idea = 'same thing';
    const a = join(REPO, 'specs/rsi-reversion.json');
    const r = await gauntlet(['diff', a, write('renamed.json', renamed)], dir);
    expect(r.out).toContain('label-only change (name, idea or parent)');
    expect(r.out).toContain('  name: "rsi-reversion" → "rsi-reversion-2"');
    const same = await gauntlet(['diff', a, a]);
    expect(same.out).toMatch(/: identical: same id [0-9a-f]{12}…\n$/);
    const reordered = Object.fromEntries(Object.entries(rawSpec('rsi-reversion.json')).reverse());
    const k = await gauntlet(['diff', a, write('reordered.json', reordered)], dir);
    expect(k.out).toMatch(/: identical: same id [0-9a-f]{12}…\n$/);
  });

  it('--json: verdict, hashes and every change', async () => {
    const b = rawSpec('rsi-reversion.json');
    b.rules.short_entry = ['rsi', '>', 90];
    const r = await gauntlet(['diff', join(REPO, 'specs/rsi-reversion.json'), write('b.json', b), '--json'], dir);
    expect(r.code).toBe(0);
    const o = JSON.parse(r.out);
    expect([o.verdict, o.logic_changed]).toEqual(['logic', true]);
    expect(o.changes).toEqual([{ path: 'rules.short_entry', kind: 'changed', from: null, to: ['rsi', '>', 90] }]);
    expect(o.rules).toEqual([{ rule: 'short_entry', from: null, to: 'rsi > 90 → short' }]);
    expect(o.params_hash.a).toBe(o.params_hash.b);
  });

  it('an invalid file on either side exits 2', async () => {
    const r = await gauntlet(['diff', join(REPO, 'specs/rsi-reversion.json'), write('bad.json', '{"schema": "gauntlet/spec@1"}')], dir);
    expect(r.code).toBe(2);
    expect(r.err).toContain('bad.json: name: Invalid input: expected string, received undefined\n');
    expect(r.out).toBe('');
  });
});

describe('jsonErrorOffset', () => {
  it('agrees with JSON.parse on 5,000 seeded mutations of spec text', () => {
    let a = 99;
    const rand = (n: number): number => { a = (Math.imul(a, 1103515245) + 12345) >>> 0; return Math.floor((a / 4294967296) * n); };
    const alphabet = '{}[]",:\\ \n0123456789.eE+-truefalsnul\u0001x';
    const texts = SPEC_FILES.map((f) => readFileSync(join(REPO, 'specs', f), 'utf8'));
    for (let k = 0; k < 5000; k++) {
      let t = texts[rand(texts.length)]!;
      for (let j = 0; j <= rand(3); j++) {
        const p = rand(t.length);
        const ch = alphabet[rand(alphabet.length)]!;
        const op = rand(3);
        t = op === 0 ? t.slice(0, p) + t.slice(p + 1) : op === 1 ? t.slice(0, p) + ch + t.slice(p) : t.slice(0, p) + ch + t.slice(p + 1);
      }
      let valid = true;
      try { JSON.parse(t); } catch { valid = false; }
      expect(jsonErrorOffset(t) === -1, JSON.stringify(t.slice(0, 80))).toBe(valid);
    }
    expect(jsonErrorOffset('{"a": tru}')).toBe(6);
    expect(jsonErrorOffset('[1, 2')).toBe(5);
    expect(jsonErrorOffset('{"a": 1,}')).toBe(8);
    expect(jsonErrorOffset('"\\x"')).toBe(2);
    expect(jsonErrorOffset(' {"a": [1, {"b": null}]} ')).toBe(-1);
  });
});
