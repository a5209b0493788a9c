/**
 * Spec v1.1's ATR levels (risk.stop_atr / risk.target_atr): versioned, optional, refused with a
 * clear message where they do not belong, and invisible to every spec that does not use them.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { parseSpecText, validateSpec } from '../../src/core/spec/parse.ts';
import { canonicalJson, logicHash, specId } from '../../src/core/spec/hash.ts';
import { UserError } from '../../src/core/errors.ts';
import { compile } from '../../src/engine/compiler/compile.ts';
import { main } from '../../src/cli.ts';
import { bufferIo } from '../../src/commands/io.ts';

const base = (): Record<string, unknown> => JSON.parse(readFileSync('specs/rsi-reversion.json', 'utf8')) as Record<string, unknown>;
const FIX = '\nFix the spec (see specs/ for examples and docs/spec.md for the schema).';

function errorOf(fn: () => unknown): string {
  try { fn(); } catch (e) { if (e instanceof UserError) return e.message; throw e; }
  throw new Error('expected a UserError');
}

/** The ids of the example specs at 7403cae, before spec v1.1 existed. */
const V1_IDS: Record<string, string> = {
  'adx-trend-cross.json': '0a02f770af909b7021c595db3711b320913c8644e52262b57b0f0e9c1bfca527',
  'cci-extremes.json': 'c5152acf39bc4807fd5b98f34bcb065438de4aa9aaf17c4086e74a0562ba79e9',
  'donchian-breakout.json': '996e09dbeb3c392a4bcdd800ee0d7845a5e0947c7464cbe29cab38f7861a19eb',
  'inside-bar.json': '6bfc2fa13bfffd4e772b199fc8c2fc91f9e53c79afaeff390b68cac926c084dd',
  'keltner-breakout.json': '550581983557564bc82b4323c4f78f584f707b4567fa947f24755526a8320666',
  'macd-signal-cross.json': '8715029b277f42fccc2e84b8c1f7de71cd5efa4149ca5f15ecf0a56f6f0ced1f',
  'mfi-williams-reversal.json': 'cc7db262f87f647609df2aee0fa8cde358f188854ee77dd0facb9eb5ed94c573',
  'obv-wma-momentum.json': '68d76ed930526407aedc154ca81919d25daacf6810cf9e588f516ff7771846bb',
  'roc-atr-momentum.json': '83e999e2238a0514c3307214e2db78d4b7bcfa7b2f7532f4488180050ba08bb6',
  'rsi-reversion.json': 'dfc771e762cebab1a1fbd9e01aeef5c45e527c6c70e07753e2b76c43cfa2f742',
  'sma-cross-reversal.json': '1735a892435d6f63bf070ab760762351413af1a4528884cdccbab1b496a2b375',
  'stochastic-oversold.json': '5474a904f897ab9cd972f131486704b6bdc3fe760679636c039430a16fb508f7',
  'trend-filtered-rsi.json': '4cc850c4d1cd5420d82be0f5476665cca33406ca758a69df6a00d15071cb61fc',
};

describe('spec v1.1: ATR levels', () => {
  it('leaves every v1 spec id as it was, and validation adds no key to the hashed text', () => {
    const files = readdirSync('specs').filter((f) => f.endsWith('.json') && JSON.parse(readFileSync(`specs/${f}`, 'utf8')).schema === 'gauntlet/spec@1').sort();
    expect(files).toEqual(Object.keys(V1_IDS).sort());
    // The one v1.1 example is the ATR one.
    expect(parseSpecText(readFileSync('specs/breakout-atr-stops.json', 'utf8'), 'x').risk.stop_atr).toEqual({ mult: 2, period: 14 });
    for (const f of files) {
      const text = readFileSync(`specs/${f}`, 'utf8');
      const s = parseSpecText(text, f);
      expect(specId(s), f).toBe(V1_IDS[f]);
      expect(specId(s), f).toBe(createHash('sha256').update(canonicalJson(JSON.parse(text))).digest('hex'));
      // A v1 spec runs with exactly the v1 execution options: no ATR key at all.
      expect(Object.keys(compile(s).execution).sort(), f).toEqual(['feesBps', 'slippageBps', 'stopLossPct', 'takeProfitPct']);
    }
  });

  it('accepts a v1.1 spec with ATR levels; they are logic, so both hashes see them', () => {
    const v1 = base();
    const atr = { ...v1, schema: 'gauntlet/spec@1.1', risk: { stop_loss_pct: null, take_profit_pct: null, stop_atr: { mult: 2, period: 14 }, target_atr: { mult: 3, period: 20 } } };
    const s = validateSpec(atr, 'x.json');
    expect(s.risk.stop_atr).toEqual({ mult: 2, period: 14 });
    const other = validateSpec({ ...atr, risk: { ...atr.risk, stop_atr: { mult: 2.5, period: 14 } } }, 'x.json');
    expect(logicHash(other)).not.toBe(logicHash(s));
    expect(compile(s).execution).toEqual({ stopLossPct: null, takeProfitPct: null, feesBps: 1, slippageBps: 0, stopAtr: { mult: 2, period: 14 }, targetAtr: { mult: 3, period: 20 } });
  });

  it('refuses ATR levels in a spec that declares v1, naming the version to declare', () => {
    const v = { ...base(), risk: { stop_loss_pct: null, take_profit_pct: null, stop_atr: { mult: 2, period: 14 } } };
    expect(errorOf(() => validateSpec(v, 'x.json'))).toBe(`x.json: schema: risk.stop_atr is spec v1.1: set "schema": "gauntlet/spec@1.1" (docs/spec.md)${FIX}`);
  });

  it('refuses a schema id it does not know, naming the two it reads', () => {
    expect(errorOf(() => validateSpec({ ...base(), schema: 'gauntlet/spec@1.2' }, 'x.json')))
      .toBe(`x.json: schema: schema must be "gauntlet/spec@1" (or "gauntlet/spec@1.1" for a spec with risk.stop_atr or risk.target_atr)${FIX}`);
  });

  it('refuses a percent and an ATR level on the same side', () => {
    const v = { ...base(), schema: 'gauntlet/spec@1.1', risk: { stop_loss_pct: 5, take_profit_pct: 4, stop_atr: { mult: 2, period: 14 }, target_atr: { mult: 3, period: 14 } } };
    expect(errorOf(() => validateSpec(v, 'x.json'))).toBe(
      'x.json: risk.stop_atr: stop_loss_pct and stop_atr are both set; a spec has one stop: keep one and set stop_loss_pct to null or remove stop_atr\n' +
      `x.json: risk.target_atr: take_profit_pct and target_atr are both set; a spec has one target: keep one and set take_profit_pct to null or remove target_atr${FIX}`);
  });

  it('accepts a percent stop with an ATR target (one level per side)', () => {
    const v = { ...base(), schema: 'gauntlet/spec@1.1', risk: { stop_loss_pct: 5, take_profit_pct: null, target_atr: { mult: 3, period: 14 } } };
    expect(compile(validateSpec(v, 'x.json')).execution).toEqual({ stopLossPct: 5, takeProfitPct: null, feesBps: 1, slippageBps: 0, targetAtr: { mult: 3, period: 14 } });
  });

  it('checks the ranges of mult and period, and takes no other key', () => {
    const v = { ...base(), schema: 'gauntlet/spec@1.1', risk: { stop_loss_pct: null, take_profit_pct: null, stop_atr: { mult: 0, period: 2.5 }, target_atr: { mult: 101, period: 1001, extra: 1 } } };
    expect(errorOf(() => validateSpec(v, 'x.json'))).toBe([
      'x.json: risk.stop_atr.mult: must be > 0',
      'x.json: risk.stop_atr.period: must be an integer',
      'x.json: risk.target_atr.mult: must be ≤ 100',
      'x.json: risk.target_atr.period: must be ≤ 1000',
      'x.json: risk.target_atr: Unrecognized key: "extra"',
    ].join('\n') + FIX);
    expect(errorOf(() => validateSpec({ ...v, risk: { stop_loss_pct: null, take_profit_pct: null, stop_atr: { mult: 2, period: '$len' } } }, 'x.json')))
      .toBe(`x.json: risk.stop_atr.period: Invalid input: expected number, received string${FIX}`);
  });
});

describe('gauntlet spec show: ATR levels', () => {
  it('names each level and where the warm-up comes from', async () => {
    const io = bufferIo({}, process.cwd());
    expect(await main(['spec', 'show', 'specs/breakout-atr-stops.json'], io)).toBe(0);
    const lines = io.stdout().split('\n');
    expect(lines).toContain('  risk        stop 2 × ATR(14), target 3 × ATR(14) (from the entry fill)');
    // highest(20)[1] needs 20 bars, ATR(14) 14: the indicators decide.
    expect(lines).toContain('  warm-up     20 bars (longest indicator warm-up 19 + max lag 1)');
    const v = JSON.parse(readFileSync('specs/breakout-atr-stops.json', 'utf8')) as Record<string, unknown>;
    const long = validateSpec({ ...v, risk: { stop_loss_pct: null, take_profit_pct: null, stop_atr: { mult: 2, period: 50 } } }, 'x.json');
    // ATR(50) is first defined at bar 50, so no entry signal before it counts.
    expect(compile(long).warmup).toBe(50);
  });
});
