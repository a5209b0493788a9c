/** The rule language's ATR stops and targets (docs/rules.md): every phrasing, the spec it gives, and its refusals. */
import { describe, expect, it } from 'vitest';
import { translate, TranslationRefused } from '../../src/agents/translate/index.ts';
import { MODEL_HINT } from '../../src/agents/translate/rules/translate.ts';
import type { Spec } from '../../src/core/spec/schema.ts';

const ENTRY = 'buy when rsi(2) < 10; sell when rsi(2) > 70';
const none = { stop_loss_pct: null, take_profit_pct: null };

function refusal(text: string): string {
  try { translate(text); } catch (e) { if (e instanceof TranslationRefused) return e.message; throw e; }
  throw new Error('expected a refusal');
}

describe('rule language: ATR stops and targets', () => {
  const cases: Array<[string, Spec['risk']]> = [
    ['stop 2 atr(14)', { ...none, stop_atr: { mult: 2, period: 14 } }],
    ['stop 2 atr', { ...none, stop_atr: { mult: 2, period: 14 } }],
    ['stop at 2x atr(20)', { ...none, stop_atr: { mult: 2, period: 20 } }],
    ['2x atr stop', { ...none, stop_atr: { mult: 2, period: 14 } }],
    ['2.5 atr stop loss', { ...none, stop_atr: { mult: 2.5, period: 14 } }],
    ['sl 1.5 * atr(10)', { ...none, stop_atr: { mult: 1.5, period: 10 } }],
    ['target 3 atr', { ...none, target_atr: { mult: 3, period: 14 } }],
    ['take profit 3x atr(21)', { ...none, target_atr: { mult: 3, period: 21 } }],
    ['3 times atr(10) tp', { ...none, target_atr: { mult: 3, period: 10 } }],
  ];
  for (const [statement, risk] of cases) {
    it(`"${statement}"`, () => {
      const r = translate(`${ENTRY}; ${statement}`);
      expect(r.spec.risk).toEqual(risk);
      expect(r.spec.schema).toBe('gauntlet/spec@1.1');
    });
  }

  it('joins an ATR stop after a comma, beside a percent target, and says the default length', () => {
    const r = translate('buy when rsi(2) < 10, sell when rsi(2) > 70, 2x atr stop, take profit 4%');
    expect(r.spec.risk).toEqual({ stop_loss_pct: null, take_profit_pct: 4, stop_atr: { mult: 2, period: 14 } });
    expect(r.warnings[0]).toBe('statement 3: "2 atr" stop is read as 2 × atr(14), the usual default');
    expect(r.summary).toBe('mean reversion, short holding: long when rsi2 < 10; exit long when rsi2 > 70; stop 2 × ATR(14); target 4%; fees 5 bps; slippage 5 bps');
  });

  it('a spec without an ATR level stays v1', () => {
    expect(translate(`${ENTRY}; stop 5%`).spec.schema).toBe('gauntlet/spec@1');
  });

  it('refuses two stops, a bad length and a bad multiple, at the statement and column', () => {
    expect(refusal(`${ENTRY}; stop 2 atr; stop 5%`)).toBe(`rules: statement 4, column 1: "stop" is already given in statement 3\n  stop 5%\n  ^\n${MODEL_HINT}`);
    expect(refusal(`${ENTRY}; stop 2 atr(0)`)).toBe(`rules: statement 3, column 12: the ATR length must be an integer from 1 to 1000, got 0\n  stop 2 atr(0)\n             ^\n${MODEL_HINT}`);
    expect(refusal(`${ENTRY}; target 200 atr(14)`)).toBe(`rules: statement 3, column 8: an ATR target must be above 0 and at most 100 ATRs, got 200\n  target 200 atr(14)\n         ^\n${MODEL_HINT}`);
    expect(refusal(`${ENTRY}; stop 2 pips`)).toBe(`rules: statement 3, column 8: expected "%" or "atr" after the number (a stop is a percentage of the entry price, "stop 2%", or a multiple of ATR, "stop 2 atr(14)")\n  stop 2 pips\n         ^\n${MODEL_HINT}`);
  });
});
