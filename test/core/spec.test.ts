import { readFileSync, readdirSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { parseSpecText, validateSpec } from '../../src/core/spec/parse.ts';
import { canonicalJson, logicHash, paramsHash, specId } from '../../src/core/spec/hash.ts';
import { UserError } from '../../src/core/errors.ts';
import type { Spec } from '../../src/core/spec/schema.ts';

const specFiles = readdirSync('specs').filter((f) => f.endsWith('.json'));
const load = (f: string): Spec => parseSpecText(readFileSync(`specs/${f}`, 'utf8'), f);
const base = (): Record<string, unknown> => JSON.parse(readFileSync('specs/rsi-reversion.json', 'utf8')) as Record<string, unknown>;

function errorOf(fn: () => unknown): string {
  try { fn(); } catch (e) { if (e instanceof UserError) return e.message; throw e; }
  throw new Error('expected a UserError');
}

/** Reverses the key order of every object, to show hashes do not depend on it. */
function reverseKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(reverseKeys);
  if (v !== null && typeof v === 'object') return Object.fromEntries(Object.entries(v).reverse().map(([k, x]) => [k, reverseKeys(x)]));
  return v;
}

describe('spec v1 schema', () => {
  it('accepts every example spec and freezes it', () => {
    expect(specFiles.length).toBeGreaterThanOrEqual(12);
    for (const f of specFiles) {
      const s = load(f);
      expect(Object.isFrozen(s)).toBe(true);
      expect(Object.isFrozen(s.rules)).toBe(true);
      expect(() => { (s as { name: string }).name = 'x'; }).toThrow(TypeError);
    }
  });

  it('names the file and JSON path of each problem', () => {
    const s = base();
    (s.indicators as Record<string, Record<string, unknown>>).rsi!.fn = 'rsx';
    expect(errorOf(() => validateSpec(s, 'my.json'))).toContain('my.json: indicators.rsi.fn: fn must be one of sma ema');
    const t = base();
    ((t.rules as Record<string, { all: unknown[][] }>).long_entry!.all[0]!)[1] = '=<';
    expect(errorOf(() => validateSpec(t, 'my.json'))).toContain('my.json: rules.long_entry');
    const u = base();
    (u.params as Record<string, Record<string, number>>).lo!.value = 99;
    expect(errorOf(() => validateSpec(u, 'x.json'))).toContain('x.json: params.lo.value: value 99 lies outside [5, 45]');
    const v = base();
    (v.risk as Record<string, unknown>).stop_loss_pct = 'five';
    expect(errorOf(() => validateSpec(v, 'x.json'))).toMatch(/x\.json: risk\.stop_loss_pct: /);
    const w = { ...base(), extra: 1 };
    expect(errorOf(() => validateSpec(w, 'x.json'))).toMatch(/x\.json: .*extra/);
  });

  it('reports JSON syntax errors with line and column', () => {
    expect(errorOf(() => parseSpecText('{\n  "schema": "gauntlet/spec@1",\n  oops\n}', 'bad.json'))).toMatch(/^bad\.json: not valid JSON at line 3, column 3/);
  });

  it('rejects future references: lags must be integers ≥ 1', () => {
    for (const bad of ['close[-1]', 'close[0]', 'close[1.5]', 'rsi[+1]']) {
      const s = base();
      (s.rules as Record<string, unknown>).long_exit = [bad, '>', 1];
      expect(errorOf(() => validateSpec(s, 'x.json'))).toContain('rules.long_exit');
    }
  });
});

describe('canonical JSON and hashes', () => {
  it('canonical JSON sorts keys at every level and round-trips', () => {
    expect(canonicalJson({ b: 1, a: [{ d: 2, c: null }], e: 'x' })).toBe('{"a":[{"c":null,"d":2}],"b":1,"e":"x"}');
    for (const f of specFiles) {
      const s = load(f);
      expect(validateSpec(JSON.parse(canonicalJson(s)), f)).toEqual(s);
      expect(canonicalJson(JSON.parse(canonicalJson(s)))).toBe(canonicalJson(s));
    }
  });

  it('hashes ignore key order and are the SHA-256 of the canonical text', () => {
    const s = load('rsi-reversion.json');
    const r = validateSpec(reverseKeys(JSON.parse(JSON.stringify(s))), 'r');
    expect(specId(r)).toBe(specId(s));
    expect(logicHash(r)).toBe(logicHash(s));
    // Independent hash: sha256sum of the canonical text, computed by another program.
    const viaShell = execFileSync('sha256sum', { input: canonicalJson(s) }).toString().split(' ')[0];
    expect(specId(s)).toBe(viaShell);
  });

  it('logic_hash ignores name, idea and param values; params_hash tracks the values', () => {
    const s = load('rsi-reversion.json');
    const renamed = validateSpec({ ...JSON.parse(JSON.stringify(s)), name: 'other', idea: 'else' }, 'x');
    expect(logicHash(renamed)).toBe(logicHash(s));
    expect(specId(renamed)).not.toBe(specId(s));
    const moved = JSON.parse(JSON.stringify(s)) as { params: Record<string, { value: number }> };
    moved.params.lo!.value = 25;
    const m = validateSpec(moved, 'x');
    expect(logicHash(m)).toBe(logicHash(s));
    expect(paramsHash(m)).not.toBe(paramsHash(s));
    const widened = JSON.parse(JSON.stringify(s)) as { params: Record<string, { max: number }> };
    widened.params.lo!.max = 40;
    expect(logicHash(validateSpec(widened, 'x'))).not.toBe(logicHash(s));
  });

  it('hashes are stable across processes', () => {
    const code = "import('./src/core/spec/hash.ts').then(async (h) => { const p = await import('./src/core/spec/parse.ts'); const fs = await import('node:fs'); const s = p.parseSpecText(fs.readFileSync('specs/macd-signal-cross.json', 'utf8'), 'x'); process.stdout.write(h.specId(s) + ' ' + h.logicHash(s)); })";
    const out = execFileSync(process.execPath, ['--import', 'tsx', '-e', code]).toString();
    const s = load('macd-signal-cross.json');
    expect(out).toBe(`${specId(s)} ${logicHash(s)}`);
  });
});
