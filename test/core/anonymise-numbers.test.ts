import { describe, expect, it } from 'vitest';
import { inputNumbers, quotedNumbers, unsupportedNumbers } from '../../src/core/anonymise/numbers.ts';

describe('quotedNumbers', () => {
  it('reads signs, separators, decimals and percents, but not digits glued to words', () => {
    expect(quotedNumbers('−0.5 % and 1,234.5, x2, A3, 3.0. Then -7% and +2')).toEqual([
      { text: '−0.5 %', value: -0.5, decimals: 1 },
      { text: '1,234.5', value: 1234.5, decimals: 1 },
      { text: '3.0', value: 3, decimals: 1 },
      { text: '-7%', value: -7, decimals: 0 },
      { text: '+2', value: 2, decimals: 0 },
    ]);
  });

  it('finds numbers inside input strings too', () => {
    expect(inputNumbers({ a: 0.25, b: ['bar 131 of 730 (month 5 of 24)', '1d'], c: { d: null, e: NaN } })).toEqual([0.25, 131, 730, 5, 24, 1]);
  });
});

describe('unsupportedNumbers', () => {
  const input = { avg: 0.004123, win: 0.563, sharpe: 1.31, loss: -0.005, trades: 1200, at: 'bar 131 of 730 (month 7 of 24)' };

  it('accepts an input number rounded to fewer digits, as a percent or a fraction, with or without its sign', () => {
    const text = 'Avg trade 0.41% (0.4123%, 0.412%, 0.0041), win rate 56% or 0.56, Sharpe 1.3 or 1, a loss of 0.5% (-0.005), ' +
      '1,200 trades, the trough at month 7 of 24, 0 misses, 100% of it.';
    expect(unsupportedNumbers(text, input)).toEqual([]);
  });

  it('flags what no input number rounds to, once each, as written', () => {
    expect(unsupportedNumbers('avg trade 0.42% then 0.42% again, win rate 57%, Sharpe 1.4, since 2015, month 8', input)).toEqual(['0.42%', '57%', '1.4', '2015', '8']);
  });

  it('does not let a coarse input number support a precise quote', () => {
    expect(unsupportedNumbers('Sharpe 1.3127', { sharpe: 1.31 })).toEqual(['1.3127']);
  });
});

describe('numbers not written in ASCII digits (hardening)', () => {
  it('full-width digits and spelled-out figures are checked like digits', () => {
    const input = { sharpe: 0.42, trades: 31 };
    expect(unsupportedNumbers('Sharpe ９.８７ on ３１ trades', input)).toEqual(['9.87']);
    expect(unsupportedNumbers('a Sharpe of nine point eight seven, fifty-five percent of trades, thirty-one trades', input))
      .toEqual(['nine point eight seven', 'fifty five percent']);
    expect(unsupportedNumbers('zero point four two, as shown, over three symbols', input)).toEqual([]);
  });
});
