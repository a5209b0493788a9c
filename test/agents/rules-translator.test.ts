import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { RulesTranslator } from '../../src/agents/rules/translator.ts';
import { TranslationRefused } from '../../src/agents/translate/index.ts';

describe('RulesTranslator', () => {
  it('wraps the rule-language translator: spec, summary, warnings, source "rules"', async () => {
    const out = await new RulesTranslator().translate('buy when rsi(14) < 30; sell when rsi(14) > 70; stop 5%', {});
    expect(out.source).toBe('rules');
    expect(Object.keys(out.value).sort()).toEqual(['spec', 'summary', 'warnings']);
    expect(out.value.spec.rules.long_entry).toEqual(['rsi14', '<', 30]);
    expect(out.value.spec.risk.stop_loss_pct).toBe(5);
    // No costs in the idea: the equities defaults, written into the spec and said (docs/costs.md).
    expect(out.value.spec.execution).toEqual({ fees_bps: 5, slippage_bps: 5 });
    expect(out.value.summary).toBe('mean reversion, short holding: long when rsi14 < 30; exit long when rsi14 > 70; stop 5%; fees 5 bps; slippage 5 bps');
    expect(out.value.warnings.filter((w) => !w.startsWith('meta: '))).toEqual(['costs: the idea states no costs; using the equities defaults of 5 bps fees + 5 bps slippage per fill (docs/costs.md)']);
    expect(out.value.warnings.at(-1)).toMatch(/^meta: holding period short, inferred from the longest lookback of 14 bars/);
  });

  it('passes its options (name, market type) and reads Pine too', async () => {
    const pine = readFileSync(new URL('./fixtures/pine/02-rsi-levels-long.pine', import.meta.url), 'utf8');
    const out = await new RulesTranslator({ name: 'my-rsi', market_type: 'crypto' }).translate(pine, {});
    expect(out.value.spec.name).toBe('my-rsi');
    expect(out.value.spec.meta.market_type).toBe('crypto');
  });

  it('rejects what the parser refuses, and an aborted call', async () => {
    await expect(new RulesTranslator().translate('buy when the moon is full', {})).rejects.toBeInstanceOf(TranslationRefused);
    const ac = new AbortController();
    ac.abort();
    await expect(new RulesTranslator().translate('buy when rsi(14) < 30', { signal: ac.signal })).rejects.toThrow();
  });
});
