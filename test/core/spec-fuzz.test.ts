/**
 * Seeded fuzzing of the spec front door: parseSpecText / validateSpec / compile on more than 3,000
 * invalid specs. Every one must be rejected with a UserError whose message names where the problem
 * is — a JSON path related to the mutated one, or a line and column for a syntax error — and never
 * with another exception type. Nothing may reach Object.prototype.
 *
 * Known gaps in src/core (not editable from here) are excluded from the generators and listed as
 * `it.todo` at the end, each with an exact repro.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UserError } from '../../src/core/errors.ts';
import { parseSpecText, validateSpec } from '../../src/core/spec/parse.ts';
import { PRICE_FIELDS } from '../../src/core/spec/schema.ts';
import { compile } from '../../src/engine/compiler/compile.ts';
import { mulberry32 } from '../support/mulberry32.ts';

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
type Path = Array<string | number>;

// ---- seeded randomness (mulberry32), independent of the engine ----------------------------------------

function rng(seed: number) {
  const next = mulberry32(seed);
  const int = (n: number): number => Math.floor(next() * n);
  return { next, int, pick: <T>(xs: readonly T[]): T => xs[int(xs.length)]! };
}

// ---- the base specs and their paths -------------------------------------------------------------------

const FILES = readdirSync('specs').filter((f) => f.endsWith('.json')).sort();
const BASES: Array<{ file: string; text: string; value: Json }> = FILES.map((file) => {
  const text = readFileSync(`specs/${file}`, 'utf8');
  return { file, text, value: JSON.parse(text) as Json };
});
const clone = (v: Json): Json => JSON.parse(JSON.stringify(v)) as Json;
const isObj = (v: unknown): v is { [k: string]: Json } => v !== null && typeof v === 'object' && !Array.isArray(v);

function allPaths(v: Json, path: Path = [], out: Path[] = []): Path[] {
  out.push(path);
  if (Array.isArray(v)) v.forEach((x, i) => allPaths(x, [...path, i], out));
  else if (isObj(v)) for (const k of Object.keys(v)) allPaths(v[k]!, [...path, k], out);
  return out;
}

function get(v: Json, path: Path): Json {
  let cur: Json = v;
  for (const k of path) cur = (cur as Record<string | number, Json>)[k]!;
  return cur;
}

function set(v: Json, path: Path, value: Json): Json {
  if (path.length === 0) return value;
  (get(v, path.slice(0, -1)) as Record<string | number, Json>)[path[path.length - 1]!] = value;
  return v;
}

const show = (p: Path): string => {
  let out = '';
  for (const k of p) out += typeof k === 'number' ? `[${k}]` : out === '' ? k : `.${k}`;
  return out === '' ? '(root)' : out;
};

/** "rules.long_entry.all[0][2]" → ["rules", "long_entry", "all", 0, 2]; "(root)" → []. */
function parsePath(text: string): Path {
  if (text === '(root)') return [];
  return Array.from(text.matchAll(/\[(\d+)\]|([^.[\]]+)/g), (m) => (m[1] !== undefined ? Number(m[1]) : m[2]!));
}

const isPrefix = (a: Path, b: Path): boolean => a.length <= b.length && a.every((k, i) => k === b[i]);

/** The JSON paths a message names: `where: PATH: …` (schema) or `compile NAME: PATH: …` (compiler). */
function messagePaths(message: string, where: string): Path[] {
  const out: Path[] = [];
  for (const line of message.split('\n')) {
    const rest = line.startsWith(`${where}: `) ? line.slice(where.length + 2) : /^compile [^:]*: /.test(line) ? line.replace(/^compile [^:]*: /, '') : null;
    if (rest === null) continue;
    const m = /^(\(root\)|[A-Za-z_$%][^\s:]*): /.exec(rest);
    if (m !== null) out.push(parsePath(m[1]!));
  }
  return out;
}

// ---- running a case -------------------------------------------------------------------------------------

interface Outcome { error: unknown }

function run(fn: () => unknown): Outcome | null {
  try {
    fn();
    return null;
  } catch (e) {
    return { error: e };
  }
}

const validateAndCompile = (value: unknown, where: string) => () => compile(validateSpec(value, where));
const parseAndCompile = (text: string, where: string) => () => compile(parseSpecText(text, where));

/**
 * Checks one case. `near`: paths the message must name one of, or a prefix/extension of one (a union
 * fails at the condition that holds the bad comparison; a missing key is reported inside the object).
 */
function check(failures: string[], label: string, fn: () => unknown, where: string, near: Path[] | 'position'): void {
  const o = run(fn);
  if (failures.length >= 20) return;
  if (o === null) { failures.push(`${label}: accepted`); return; }
  const e = o.error;
  if (!(e instanceof UserError)) {
    failures.push(`${label}: ${e instanceof Error ? `${e.name}: ${e.message.slice(0, 160)}` : String(e)}`);
    return;
  }
  if (e.exitCode !== 2) failures.push(`${label}: exit code ${e.exitCode}`);
  const msg = e.message;
  if (near === 'position') {
    if (!msg.startsWith(`${where}: not valid JSON`)) failures.push(`${label}: not a syntax error naming ${where}: ${msg.slice(0, 160)}`);
    // Whenever the runtime knows the position, the message turns it into a line and column.
    if (/position \d+/.test(msg) && !/ at line \d+, column \d+: /.test(msg)) failures.push(`${label}: a position without line/column: ${msg.slice(0, 160)}`);
    return;
  }
  const named = messagePaths(msg, where);
  const ok = named.some((q) => near.some((p) => (q.length === 0 ? p.length <= 1 : isPrefix(q, p) || isPrefix(p, q))));
  if (!ok) failures.push(`${label}: expected a path near ${near.map(show).join(' | ')}; got: ${msg.slice(0, 240)}`);
}

/** Paths at which null is valid (nullable rules and risk levels). */
const nullable = (p: Path): boolean => (p.length === 2 && (p[0] === 'rules' || p[0] === 'risk'));

/** Operand strings of the rules that name an indicator (id or id.output, maybe lagged), with their paths. */
function indicatorOperands(spec: Json): Array<{ path: Path; id: string }> {
  const out: Array<{ path: Path; id: string }> = [];
  for (const p of allPaths(spec)) {
    const v = get(spec, p);
    if (p[0] !== 'rules' || typeof v !== 'string' || typeof p[p.length - 1] !== 'number' || p[p.length - 1] === 1) continue;
    const m = /^([A-Za-z_]\w*)(\.\w+)?(\[\d+\])?$/.exec(v);
    if (m !== null && !((PRICE_FIELDS as readonly string[]).includes(m[1]!) && m[2] === undefined)) out.push({ path: p, id: m[1]! });
  }
  return out;
}

/** Every "$param" / "-$param" reference (in indicators and rules), with its path. */
function paramRefs(spec: Json): Array<{ path: Path; name: string }> {
  const out: Array<{ path: Path; name: string }> = [];
  for (const p of allPaths(spec)) {
    const v = get(spec, p);
    if (typeof v === 'string' && /^-?\$/.test(v) && (p[0] === 'rules' || p[0] === 'indicators')) out.push({ path: p, name: v.replace(/^-?\$/, '') });
  }
  return out;
}

// Names that every JS object inherits: see the it.todo entries below.
const INHERITED = new Set(Object.getOwnPropertyNames(Object.prototype));
const ident = (r: ReturnType<typeof rng>, prefix: string): string => {
  for (;;) {
    const s = `${prefix}${r.int(1e6).toString(36)}`;
    if (!INHERITED.has(s)) return s;
  }
};

let protoBefore: string[] = [];
beforeAll(() => { protoBefore = Object.getOwnPropertyNames(Object.prototype).sort(); });
afterAll(() => {
  expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(protoBefore);
});

const counts: Record<string, number> = {};
const count = (kind: string, n: number): void => { counts[kind] = (counts[kind] ?? 0) + n; };

describe('spec fuzzing: every invalid spec is a UserError that says where', () => {
  it('wrong types at random JSON paths (1,200 cases)', () => {
    const r = rng(1);
    const failures: string[] = [];
    const N = 1200;
    for (let i = 0; i < N; i++) {
      const b = r.pick(BASES);
      const spec = clone(b.value);
      const path = r.pick(allPaths(spec));
      const orig = get(spec, path);
      // Values no field of a spec accepts at this path: booleans and {"x": 1} nowhere, [[[]]] nowhere;
      // a non-identifier string where the original is not a string; null where null is not allowed.
      const wrong: Json[] = [true, false, { x: 1 }, [[[]]]];
      if (typeof orig !== 'string') wrong.push('%%%');
      if (!nullable(path)) wrong.push(null);
      const value = r.pick(wrong);
      const where = `fuzz-type-${i}.json`;
      check(failures, `${b.file} ${show(path)} := ${JSON.stringify(value)}`, validateAndCompile(set(spec, path, value), where), where, [path]);
    }
    count('types', N);
    expect(failures).toEqual([]);
  });

  it('unknown indicator fns (300 cases)', () => {
    const r = rng(2);
    const failures: string[] = [];
    const withIndicators = BASES.filter((b) => Object.keys((b.value as { indicators: object }).indicators).length > 0);
    const N = 300;
    for (let i = 0; i < N; i++) {
      const b = r.pick(withIndicators);
      const spec = clone(b.value) as { indicators: Record<string, { fn: Json }> };
      const id = r.pick(Object.keys(spec.indicators));
      const fn = r.pick<Json>(['SMA', 'rsx', 'ema ', '', 'bollinger', 'vwap', 'ichimoku', ident(r, 'fn_'), 7, null, ['sma']]);
      spec.indicators[id]!.fn = fn;
      const where = `fuzz-fn-${i}.json`;
      check(failures, `${b.file} indicators.${id}.fn := ${JSON.stringify(fn)}`, validateAndCompile(spec, where), where, [['indicators', id, 'fn']]);
    }
    count('fns', N);
    expect(failures).toEqual([]);
  });

  it('missing ids: undefined indicators and params, renamed or deleted (400 cases)', () => {
    const r = rng(3);
    const failures: string[] = [];
    const N = 400;
    for (let i = 0; i < N; i++) {
      const b = r.pick(BASES);
      const spec = clone(b.value) as { [k: string]: Json } & { params: Record<string, Json>; indicators: Record<string, Json> };
      const ops = indicatorOperands(spec);
      const refs = paramRefs(spec);
      const where = `fuzz-id-${i}.json`;
      const mode = r.int(4);
      if (mode === 0 && ops.length > 0) { // rename an indicator operand's head
        const o = r.pick(ops);
        const v = get(spec, o.path) as string;
        set(spec, o.path, v.replace(o.id, ident(r, 'ind_')));
        check(failures, `${b.file} ${show(o.path)} renamed`, validateAndCompile(spec, where), where, [o.path]);
      } else if (mode === 1 && ops.length > 0) { // delete an indicator some rule reads
        const id = r.pick(ops).id;
        delete spec.indicators[id];
        const near = ops.filter((o) => o.id === id).map((o) => o.path);
        check(failures, `${b.file} indicators.${id} deleted`, validateAndCompile(spec, where), where, near);
      } else if (mode === 2 && refs.length > 0) { // point a $param reference at nothing
        const ref = r.pick(refs);
        const v = get(spec, ref.path) as string;
        set(spec, ref.path, v.replace(ref.name, ident(r, 'p_')));
        check(failures, `${b.file} ${show(ref.path)} renamed`, validateAndCompile(spec, where), where, [ref.path]);
      } else if (refs.length > 0) { // delete a param something reads
        const name = r.pick(refs).name;
        delete spec.params[name];
        const near = refs.filter((x) => x.name === name).map((x) => x.path);
        check(failures, `${b.file} params.${name} deleted`, validateAndCompile(spec, where), where, near);
      } else {
        // inside-bar has neither: read a field that does not exist
        const o: Path = ['rules', 'long_entry', 'all', 0, 0];
        set(spec, o, `bar_${i}`);
        check(failures, `${b.file} ${show(o)} := bar_${i}`, validateAndCompile(spec, where), where, [o]);
      }
    }
    count('ids', N);
    expect(failures).toEqual([]);
  });

  it('out-of-range and off-grid params, inverted ranges, bad steps (300 cases)', () => {
    const r = rng(4);
    const failures: string[] = [];
    const withParams = BASES.filter((b) => Object.keys((b.value as { params: object }).params).length > 0);
    const N = 300;
    for (let i = 0; i < N; i++) {
      const b = r.pick(withParams);
      const spec = clone(b.value) as { params: Record<string, { value: number; min: number; max: number; step: number }> };
      const name = r.pick(Object.keys(spec.params));
      const p = spec.params[name]!;
      const k = 1 + r.int(5);
      const count_ = Math.floor((p.max - p.min) / p.step + 1e-9) + 1;
      switch (r.int(5)) {
        case 0: p.value = p.max + k * p.step; break;
        case 1: p.value = p.min - k * p.step; break;
        case 2: p.value = count_ > 1 ? p.min + (r.int(count_ - 1) + 0.5) * p.step : p.max + p.step; break; // between grid points
        case 3: [p.min, p.max] = [p.max + p.step, p.min]; break;
        default: p.step = r.pick([0, -1, -p.step]); break;
      }
      const where = `fuzz-param-${i}.json`;
      check(failures, `${b.file} params.${name} = ${JSON.stringify(p)}`, validateAndCompile(spec, where), where, [['params', name]]);
    }
    count('params', N);
    expect(failures).toEqual([]);
  });

  it('deleted required keys and unknown extra keys (500 cases)', () => {
    const r = rng(5);
    const failures: string[] = [];
    const N = 500;
    for (let i = 0; i < N; i++) {
      const b = r.pick(BASES);
      const spec = clone(b.value);
      const objects = allPaths(spec).filter((p) => isObj(get(spec, p)));
      const where = `fuzz-key-${i}.json`;
      if (i % 2 === 0) {
        // Required keys only: not `source` or `parent` (optional) and not whole params/indicators entries (covered above).
        const candidates = objects.flatMap((p) => Object.keys(get(spec, p) as object).map((k) => [...p, k]))
          .filter((p) => p[p.length - 1] !== 'source' && !((p[0] === 'params' || p[0] === 'indicators') && p.length === 2));
        const path = r.pick(candidates);
        delete (get(spec, path.slice(0, -1)) as Record<string, Json>)[path[path.length - 1] as string];
        check(failures, `${b.file} delete ${show(path)}`, validateAndCompile(spec, where), where, [path]);
      } else {
        const at = r.pick(objects);
        const key = ident(r, 'extra_');
        (get(spec, at) as Record<string, Json>)[key] = r.pick<Json>([1, 'x', { y: 2 }]);
        check(failures, `${b.file} add ${show([...at, key])}`, validateAndCompile(spec, where), where, [[...at, key]]);
      }
    }
    count('keys', N);
    expect(failures).toEqual([]);
  });

  it('"__proto__" and "constructor" as top-level keys, nested keys, param names and indicator ids (200 cases)', () => {
    const r = rng(6);
    const failures: string[] = [];
    const N = 200;
    for (let i = 0; i < N; i++) {
      const b = r.pick(BASES);
      const where = `fuzz-proto-${i}.json`;
      const key = r.pick(['__proto__', 'constructor']);
      const payload = '{"polluted": 1, "value": 1}';
      // Built as text, so "__proto__" is an own key exactly as JSON.parse makes it from a file.
      const compact = JSON.stringify(b.value);
      const mode = r.int(4);
      let text: string;
      let near: Path[];
      if (mode === 0) { // top level
        text = `{"${key}": ${payload},${compact.slice(1)}`;
        near = [[key]];
      } else if (mode === 1) { // inside a strict object: meta, risk, execution, rules or a param definition
        const target = r.pick(['meta', 'risk', 'execution', 'rules']);
        text = compact.replace(`"${target}":{`, `"${target}":{"${key}":${payload},`);
        near = [[target, key]];
      } else if (mode === 2 && key === 'constructor') { // a param named constructor, badly defined
        text = compact.replace('"params":{', `"params":{"constructor":${payload}${compact.includes('"params":{}') ? '' : ','}`);
        near = [['params', 'constructor']];
      } else if (key === 'constructor') { // an indicator with id constructor and an unknown fn
        text = compact.replace('"indicators":{', `"indicators":{"constructor":{"fn":"polluted"}${compact.includes('"indicators":{}') ? '' : ','}`);
        near = [['indicators', 'constructor', 'fn']];
      } else { // "__proto__" inside a param definition (a strict object)
        const params = Object.keys((b.value as { params: object }).params);
        if (params.length === 0) { text = `{"__proto__": ${payload},${compact.slice(1)}`; near = [['__proto__']]; } else {
          const name = r.pick(params);
          text = compact.replace(`"${name}":{`, `"${name}":{"__proto__":${payload},`);
          near = [['params', name, '__proto__']];
        }
      }
      expect(text).not.toBe(compact);
      check(failures, `${b.file} ${key} mode ${mode}`, parseAndCompile(text, where), where, near);
    }
    count('proto', N);
    expect(failures).toEqual([]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('10 MB strings where the spec wants something else', () => {
    const failures: string[] = [];
    const big = 'a'.repeat(10 * 1024 * 1024);
    const bad = '%'.repeat(10 * 1024 * 1024);
    const base = BASES.find((b) => b.file === 'rsi-reversion.json')!.value;
    const cases: Array<[Path, Json, Path]> = [
      [['schema'], big, ['schema']],
      [['indicators', 'rsi', 'fn'], big, ['indicators', 'rsi', 'fn']],
      [['params', 'lo', 'value'], big, ['params', 'lo', 'value']],
      [['rules', 'long_exit', 'any', 0, 0], big, ['rules', 'long_exit', 'any', 0, 0]], // an identifier, but no such indicator
      [['rules', 'long_exit', 'any', 0, 1], big, ['rules', 'long_exit']],
      [['indicators', 'rsi', 'source'], big, ['indicators', 'rsi', 'source']],
      [['meta', 'style'], bad, ['meta', 'style']],
    ];
    cases.forEach(([path, value, near], i) => {
      const where = `fuzz-big-${i}.json`;
      check(failures, `${show(path)} := ${String(value).length} chars`, validateAndCompile(set(clone(base), path, value), where), where, [near]);
    });
    // As a param name (not an identifier) and as the whole file.
    const named = clone(base) as { params: Record<string, Json> };
    named.params[bad] = { value: 1, min: 0, max: 2, step: 1 };
    check(failures, '10 MB param name', validateAndCompile(named, 'big-name.json'), 'big-name.json', [['params']]);
    check(failures, '10 MB of garbage text', parseAndCompile(bad, 'big.json'), 'big.json', 'position');
    check(failures, '10 MB JSON string', parseAndCompile(JSON.stringify(big), 'big-string.json'), 'big-string.json', [[]]);
    count('big', cases.length + 3);
    expect(failures).toEqual([]);
  });

  it('deep nesting within the depth limit: up to 90 levels of {"not": …} around a bad comparison', () => {
    const failures: string[] = [];
    const base = BASES.find((b) => b.file === 'rsi-reversion.json')!.value;
    for (const [i, depth] of [20, 50, 90].entries()) {
      let cond = '["rsi", "=<", "$hi"]';
      for (let d = 0; d < depth; d++) cond = `{"not": ${cond}}`;
      const text = JSON.stringify(base).replace('"long_exit":{"any":[["rsi",">","$hi"]]}', `"long_exit":${cond}`);
      expect(text).toContain('=<');
      check(failures, `depth ${depth}`, parseAndCompile(text, `deep-${i}.json`), `deep-${i}.json`, [['rules', 'long_exit', ...Array<string>(depth).fill('not')]]);
    }
    count('deep', 3);
    expect(failures).toEqual([]);
  });

  it('binary garbage and truncated specs through parseSpecText (700 cases)', () => {
    const r = rng(7);
    const failures: string[] = [];
    let withPosition = 0;
    const N = 700;
    for (let i = 0; i < N; i++) {
      const where = `fuzz-bytes-${i}.json`;
      let text: string;
      if (i % 2 === 0) {
        const bytes = Uint8Array.from({ length: 1 + r.int(400) }, () => r.int(256));
        text = Buffer.from(bytes).toString(r.next() < 0.5 ? 'latin1' : 'utf8');
      } else {
        const b = r.pick(BASES).text;
        text = b.slice(0, r.int(b.length)); // every proper prefix of a JSON object is invalid JSON
      }
      const o = run(parseAndCompile(text, where));
      if (o !== null && o.error instanceof UserError && /line \d+, column \d+/.test(o.error.message)) withPosition++;
      if (o !== null && o.error instanceof UserError && !o.error.message.includes('not valid JSON')) {
        check(failures, `bytes ${i}`, parseAndCompile(text, where), where, [[]]); // valid JSON that is not a spec: "(root)"
      } else {
        check(failures, `bytes ${i} ${JSON.stringify(text.slice(0, 40))}`, parseAndCompile(text, where), where, 'position');
      }
    }
    count('bytes', N);
    expect(failures).toEqual([]);
    // Some syntax errors carry a position on this runtime; see the it.todo below for those that do not.
    expect(withPosition).toBeGreaterThan(0);
  });

  it('ran at least 3,000 cases', () => {
    const total = Object.values(counts).reduce((s, n) => s + n, 0);
    expect(total).toBeGreaterThanOrEqual(3000);
  });

  // ---- gaps found by this fuzz, fixed in src/core/spec (json-checks.ts, references.ts, parse.ts) ------------

  const refused = (text: string, where: string, pattern: RegExp): void => {
    let err: unknown = null;
    try { parseAndCompile(text, where)(); } catch (e) { err = e; }
    expect(err).toBeInstanceOf(UserError);
    expect((err as UserError).message).toMatch(pattern);
  };
  const rsi = (): Record<string, unknown> => JSON.parse(JSON.stringify(BASES.find((b) => b.file === 'rsi-reversion.json')!.value)) as Record<string, unknown>;

  it('10,000 levels of {"not": …} are rejected with a UserError, not a RangeError stack overflow', () => {
    let cond = '["rsi", "<", "$lo"]';
    for (let d = 0; d < 10_000; d++) cond = `{"not": ${cond}}`;
    const text = JSON.stringify(rsi()).replace('"long_exit":{"any":[["rsi",">","$hi"]]}', `"long_exit":${cond}`);
    refused(text, 'deep.json', /^deep\.json: rules\.long_exit\.not\.not.*nested more than 100 levels deep/);
  });

  it('"__proto__" as a param name or indicator id is rejected, not silently dropped', () => {
    const text = JSON.stringify(rsi()).replace('"params":{', '"params":{"__proto__":{"value":1,"min":0,"max":2,"step":1},');
    refused(text, 'proto.json', /^proto\.json: params\.__proto__: "__proto__" cannot be a name/);
    expect(({} as Record<string, unknown>).value).toBeUndefined();
  });

  it('a rule operand naming an inherited property (constructor, toString …) is a CompileError', () => {
    for (const name of ['constructor', 'toString', 'valueOf[1]', 'hasOwnProperty']) {
      const s = rsi();
      (s.rules as Record<string, unknown>).long_exit = ['rsi', '>', name];
      refused(JSON.stringify(s), 'inherit.json', /rules\.long_exit\[2\]: ".*" is neither a price field/);
    }
  });

  it('"$constructor"-style references fail with "names no param"', () => {
    for (const ref of ['$constructor', '$toString', '-$valueOf']) {
      const s = rsi();
      (s.rules as Record<string, unknown>).long_exit = ['rsi', '>', ref];
      refused(JSON.stringify(s), 'ref.json', /rules\.long_exit\[2\]: ".*" names no param/);
    }
    const s = rsi();
    ((s.indicators as Record<string, Record<string, unknown>>).rsi!).period = '$constructor';
    refused(JSON.stringify(s), 'arg.json', /indicators\.rsi\.period: "\$constructor" names no param/);
  });

  it('every JSON syntax error names its line and column', () => {
    for (const text of ['{"a": tru}', '{"a": 1', '{\n  "a": [1, 2,,]\n}', '']) refused(text, 'syntax.json', /^syntax\.json: not valid JSON at line \d+, column \d+/);
  });
});
