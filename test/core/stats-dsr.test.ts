// PSR, DSR, MinTRL, MinBTL, E[max], the 2025 convention and the effective number of trials:
// every [V]/[S] vector of stats.md §1–§2 (and [Q] ones where the digits allow, loosely).
import { describe, expect, it } from 'vitest';
import {
  deflatedSharpeRatio,
  deflatedSharpeRatio2025,
  effectiveRank,
  expectedMaxNormal,
  expectedMaxSharpe,
  expectedMaxZ,
  maxTrialsForBacktest,
  minBacktestLength,
  minBacktestLengthBound,
  minTrackRecordLength,
  minTrackRecordLength2025,
  observedFalseDiscoveryRate,
  posteriorFalseDiscoveryRate,
  probabilisticSharpeRatio,
  probabilisticSharpeRatio2025,
  psrZScore,
  sharpePower2025,
  sharpeVariance2025,
  trialSharpeVariance,
  varianceMaxNormal,
} from '../../src/core/stats/index.ts';
import { expectDigits } from './stats-helpers.ts';

// D1: the DSR paper's example, de-annualised with 250 days.
const D1 = { sharpe: 2.5 / Math.sqrt(250), trialSharpeVariance: 0.5 / 250, trials: 100, bars: 1250, skewness: -3, kurtosis: 10 };

describe('E[max of N normals] (Bailey & López de Prado 2014)', () => {
  it('D3: EmaxZ(100) = 2.5306028932016846 [V pypbo]', () => expectDigits(expectedMaxZ(100), '2.5306028932016846'));
  it('D4: EmaxZ(10) = 1.57459830134575 [V]; the paper prints "1.57" [Q, 2 decimals]', () => {
    expectDigits(expectedMaxZ(10), '1.57459830134575');
    expectDigits(expectedMaxZ(10), '1.57', 0.005); // [Q] truncated in the paper, so a full unit of 0.01/2
  });
  it('D5: exact E[max] 1.5387527 (N = 10) / 2.5075936 (N = 100), below the approximation [S]', () => {
    expectDigits(expectedMaxNormal(10), '1.5387527');
    expectDigits(expectedMaxNormal(100), '2.5075936');
    expect(expectedMaxNormal(100)).toBeLessThan(expectedMaxZ(100));
  });
  it('N = 1 is 0 (no selection), N < 1 is a RangeError', () => {
    expect(expectedMaxZ(1)).toBe(0);
    expect(expectedMaxNormal(1)).toBe(0);
    expect(varianceMaxNormal(1)).toBe(1);
    expect(() => expectedMaxZ(0.5)).toThrow(RangeError);
    expect(() => expectedMaxZ(NaN)).toThrow(RangeError);
  });
  it('exact E[max_2] = 1/√π (closed form)', () => expectDigits(expectedMaxNormal(2), String(1 / Math.sqrt(Math.PI)), 1e-12));
});

describe('PSR and DSR, 2012/2014 convention', () => {
  it('D1: SR0 = 0.11317200186513214, z = 1.2838160365, DSR = 0.9003968344493904 [V pypbo]', () => {
    const r = deflatedSharpeRatio(D1);
    expectDigits(D1.sharpe, '0.15811388300841897');
    expectDigits(r.sr0, '0.11317200186513214');
    expectDigits(r.sr0 * Math.sqrt(250), '1.7894065');
    expectDigits(r.z, '1.2838160365');
    expectDigits(r.dsr, '0.9003968344493904');
  });
  it('D1 paper figures ≈0.1132 / ≈0.9004 [Q, 4 decimals]', () => {
    const r = deflatedSharpeRatio(D1);
    expectDigits(r.sr0, '0.1132');
    expectDigits(r.dsr, '0.9004');
  });
  it('D2: DSR >= 0.95 holds up to N = 46 and fails at 47 [S]', () => {
    expect(deflatedSharpeRatio({ ...D1, trials: 46 }).dsr).toBeGreaterThanOrEqual(0.95);
    expect(deflatedSharpeRatio({ ...D1, trials: 47 }).dsr).toBeLessThan(0.95);
  });
  it('P1: PSR = 0.9132343068848602 ("Sharpe Ratio Efficient Frontier" example) [V pypbo]', () => {
    expectDigits(probabilisticSharpeRatio({ sharpe: 1.585 / Math.sqrt(12), bars: 24, skewness: -2.448, kurtosis: 10.164 }), '0.9132343068848602');
  });
  it('pitfall: excess kurtosis in the (g4−1)/4 slot gives P1 = 0.9198410 [V] and is refused for D1 (7 < 1 + g3² = 10)', () => {
    expectDigits(probabilisticSharpeRatio({ sharpe: 1.585 / Math.sqrt(12), bars: 24, skewness: -2.448, kurtosis: 7.164 }), '0.9198410');
    expect(() => deflatedSharpeRatio({ ...D1, kurtosis: 7 })).toThrow(/NON-excess/);
    expect(() => probabilisticSharpeRatio({ sharpe: 0.1, bars: 100, kurtosis: 0 })).toThrow(RangeError);
  });
  it('L1: mlfinlab PSR(1.14, 1, 250, 0, 3) = 0.9572778803 [V]; mlfinlab prints 0.95727 [Q, truncated]', () => {
    const v = probabilisticSharpeRatio({ sharpe: 1.14, benchmark: 1, bars: 250 });
    expectDigits(v, '0.9572778803');
    expectDigits(v, '0.95727', 1e-5);
  });
  it('L2: mlfinlab DSR with std ddof 0 = 0.9583658117 [V]; ddof 1 = 0.1523751', () => {
    const trials = [3.5, 1.01, 1.02];
    const ddof0 = deflatedSharpeRatio({ sharpe: 1.14, bars: 250, trials: 3, trialSharpeVariance: trialSharpeVariance(trials, 0) });
    const ddof1 = deflatedSharpeRatio({ sharpe: 1.14, bars: 250, trials: 3, trialSharpeVariance: trialSharpeVariance(trials) });
    expectDigits(ddof0.dsr, '0.9583658117');
    expectDigits(ddof1.dsr, '0.1523751');
  });
  it('N = 1: SR0 = mean (0), so DSR = PSR', () => {
    const r = deflatedSharpeRatio({ ...D1, trials: 1 });
    expect(r.sr0).toBe(0);
    expect(r.dsr).toBe(probabilisticSharpeRatio({ ...D1 }));
  });
  it('SR0 adds the trial mean when given', () => {
    expectDigits(expectedMaxSharpe({ trials: 100, trialSharpeVariance: 0.002, trialSharpeMean: 0.01 }), String(0.01 + 0.11317200186513214));
  });
  it('the z-score is monotone in SR and the PSR is a probability', () => {
    expect(psrZScore({ sharpe: 0.2, bars: 100 })).toBeGreaterThan(psrZScore({ sharpe: 0.1, bars: 100 }));
    expect(probabilisticSharpeRatio({ sharpe: -0.5, bars: 100 })).toBeLessThan(0.5);
  });
  it('rejects impossible inputs', () => {
    expect(() => probabilisticSharpeRatio({ sharpe: 0.1, bars: 1 })).toThrow(RangeError);
    expect(() => probabilisticSharpeRatio({ sharpe: NaN, bars: 100 })).toThrow(RangeError);
    expect(() => deflatedSharpeRatio({ ...D1, trials: 0 })).toThrow(RangeError);
    expect(() => deflatedSharpeRatio({ ...D1, trialSharpeVariance: -1 })).toThrow(RangeError);
    expect(() => trialSharpeVariance([0.1])).toThrow(RangeError);
  });
});

describe('MinTRL, 2012 convention (bars)', () => {
  it('M1: daily 2 vs 1 annual, normal → 2.731187801728174 years [V pypbo]', () => {
    expectDigits(minTrackRecordLength({ sharpe: 2 / Math.sqrt(250), benchmark: 1 / Math.sqrt(250) }) / 250, '2.731187801728174');
  });
  it('M2: weekly → 2.828833586945234 years [V pypbo]', () => {
    expectDigits(minTrackRecordLength({ sharpe: 2 / Math.sqrt(52), benchmark: 1 / Math.sqrt(52) }) / 52, '2.828833586945234');
  });
  it('M3: monthly 3 vs 2.5, g3 −.72, g4 5.78 → 27.35292019604028 years [V pypbo]', () => {
    const v = minTrackRecordLength({ sharpe: 3 / Math.sqrt(12), benchmark: 2.5 / Math.sqrt(12), skewness: -0.72, kurtosis: 5.78 }) / 12;
    expectDigits(v, '27.35292019604028');
  });
  it('L3: mlfinlab MinTRL(1.14, 1, 0, 3, α = .05) = 228.7349791 [V]', () => {
    expectDigits(minTrackRecordLength({ sharpe: 1.14, benchmark: 1, alpha: 0.05 }), '228.7349791');
  });
  it('is Infinity when SR <= SR*, and rejects α outside (0, 1)', () => {
    expect(minTrackRecordLength({ sharpe: 0.1, benchmark: 0.1 })).toBe(Infinity);
    expect(() => minTrackRecordLength({ sharpe: 0.2, alpha: 1 })).toThrow(RangeError);
  });
});

describe('MinBTL (Bailey, Borwein, López de Prado & Zhu 2014)', () => {
  it('B1: N = 45, E = 1 → 4.998087004443402 years [V pypbo]; bound 2 ln 45 = 7.6133', () => {
    expectDigits(minBacktestLength(45, 1), '4.998087004443402');
    expectDigits(minBacktestLengthBound(45, 1), '7.6133');
  });
  it('B2: EmaxZ(45)/√5 = 0.9998086821 [V]; "5 y ⇒ at most 45 configurations" [Q] holds', () => {
    expectDigits(expectedMaxZ(45) / Math.sqrt(5), '0.9998086821');
    expect(maxTrialsForBacktest(5)).toBe(45);
  });
  it('B3: EmaxZ(7)/√2 = 0.9805976, EmaxZ(8)/√2 = 1.0316787 [V]; "2 years ⇒ at most 7 trials" [Q]', () => {
    expectDigits(expectedMaxZ(7) / Math.sqrt(2), '0.9805976');
    expectDigits(expectedMaxZ(8) / Math.sqrt(2), '1.0316787');
    expect(maxTrialsForBacktest(2)).toBe(7);
  });
  it('B4: largest N for 1, 2, 3, 5, 10 years = 3, 7, 13, 45, 724 [S]', () => {
    expect([1, 2, 3, 5, 10].map((y) => maxTrialsForBacktest(y))).toEqual([3, 7, 13, 45, 724]);
  });
  it('scales with the target Sharpe and rejects a non-positive one', () => {
    expectDigits(minBacktestLength(45, 2), String(4.998087004443402 / 4));
    expect(() => minBacktestLength(45, 0)).toThrow(RangeError);
    expect(() => maxTrialsForBacktest(0)).toThrow(RangeError);
  });
});

describe('2025 convention (López de Prado, Lipton & Zoonekynd)', () => {
  const SR = 0.036 / 0.079;
  const fund = { bars: 24, skewness: -2.448, kurtosis: 10.164 };
  it('Z1: σ_SR at SR-hat 0.3285886 (non-Gaussian) / 0.2144595 (Gaussian) [V zoonek]', () => {
    expectDigits(SR, '0.4556962');
    expectDigits(Math.sqrt(sharpeVariance2025({ sharpe: SR, ...fund })), '0.3285886');
    expectDigits(Math.sqrt(sharpeVariance2025({ sharpe: SR, bars: 24 })), '0.2144595');
  });
  it('Z2: MinTRL 13.0287783 (SR0 = 0) / 27.1091545 (SR0 = 0.1) [V zoonek, ml4t]', () => {
    expectDigits(minTrackRecordLength2025({ sharpe: SR, skewness: -2.448, kurtosis: 10.164 }), '13.0287783');
    expectDigits(minTrackRecordLength2025({ sharpe: SR, benchmark: 0.1, skewness: -2.448, kurtosis: 10.164 }), '27.1091545');
  });
  it('Z3: PSR 0.9872073 (SR0 = 0) / 0.9391476 (SR0 = 0.1) [V zoonek]', () => {
    expectDigits(probabilisticSharpeRatio2025({ sharpe: SR, ...fund }), '0.9872073');
    expectDigits(probabilisticSharpeRatio2025({ sharpe: SR, benchmark: 0.1, ...fund }), '0.9391476');
  });
  it('Z4: β = 0.3152080; pFDR = 0.5810398; oFDR = 0.3058564 [V zoonek]', () => {
    const pw = sharpePower2025({ nullSharpe: 0, alternativeSharpe: 0.5, ...fund });
    expectDigits(pw.beta, '0.3152080');
    expectDigits(pw.power, '0.6847920');
    expectDigits(posteriorFalseDiscoveryRate(0.05, 0.05, 0.315), '0.5810398');
    expectDigits(observedFalseDiscoveryRate({ sharpe: SR, nullSharpe: 0, alternativeSharpe: 0.5, priorAlternative: 0.05, ...fund }), '0.3058564');
  });
  it('Z5: E[max SR] K = 10, Var 0.1 → 0.4979317; √Var[max_K] 10/100/2 → 0.5868082 / 0.4294238 / 0.8256453 [V]', () => {
    expectDigits(expectedMaxSharpe({ trials: 10, trialSharpeVariance: 0.1 }), '0.4979317');
    expectDigits(Math.sqrt(varianceMaxNormal(10)), '0.5868082');
    expectDigits(Math.sqrt(varianceMaxNormal(100)), '0.4294238');
    expectDigits(Math.sqrt(varianceMaxNormal(2)), '0.8256453');
    expectDigits(varianceMaxNormal(2), String(1 - 1 / Math.PI), 1e-12); // closed form
  });
  it('Z6: DSR_2025 = 0.4163603; without Var[max_K] 0.4506807; 2014 formula 0.4499333 [V]/[S]', () => {
    const r = deflatedSharpeRatio2025({ sharpe: SR, trials: 10, trialSharpeVariance: 0.1, ...fund });
    expectDigits(r.dsr, '0.4163603');
    expectDigits(probabilisticSharpeRatio2025({ sharpe: SR, benchmark: r.sr0, ...fund }), '0.4506807');
    expectDigits(probabilisticSharpeRatio({ sharpe: SR, benchmark: r.sr0, ...fund }), '0.4499333');
  });
  it('the same fund: PSR(0) 0.9132 under 2012 vs 0.9872 under 2025 (stats.md warning)', () => {
    expectDigits(probabilisticSharpeRatio({ sharpe: 1.585 / Math.sqrt(12), ...fund }), '0.9132');
    expectDigits(probabilisticSharpeRatio2025({ sharpe: SR, ...fund }), '0.9872');
  });
  it('autocorrelation inflates the variance; |ρ| >= 1 is a RangeError', () => {
    expect(sharpeVariance2025({ sharpe: 0.1, bars: 100, autocorrelation: 0.3 })).toBeGreaterThan(sharpeVariance2025({ sharpe: 0.1, bars: 100 }));
    expect(() => sharpeVariance2025({ sharpe: 0.1, bars: 100, autocorrelation: 1 })).toThrow(RangeError);
  });
});

describe('effective number of trials (effective rank)', () => {
  it('I3 → 3; [[1,.1],[.1,1]] → 1.9900083; C3 → 1.8402004 [V zoonek]', () => {
    expectDigits(effectiveRank([[1, 0, 0], [0, 1, 0], [0, 0, 1]]), '3.0');
    expectDigits(effectiveRank([[1, 0.1], [0.1, 1]]), '1.9900083');
    expectDigits(effectiveRank([[1, 0.1, 0.7], [0.1, 1, 0.8], [0.7, 0.8, 1]]), '1.8402004');
  });
  it('perfectly correlated trials count once', () => {
    expectDigits(effectiveRank([[1, 1, 1], [1, 1, 1], [1, 1, 1]]), '1');
  });
  it('rejects non-square, asymmetric or NaN matrices', () => {
    expect(() => effectiveRank([[1, 0], [0]])).toThrow(RangeError);
    expect(() => effectiveRank([[1, 0.2], [0.1, 1]])).toThrow(RangeError);
    expect(() => effectiveRank([[1, NaN], [NaN, 1]])).toThrow(RangeError);
  });
});
