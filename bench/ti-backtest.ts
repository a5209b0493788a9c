import { CrossDown, CrossUp, SMA } from 'technicalindicators';

/** A bar as an object: the way a typical JS backtest built on technicalindicators holds data. */
export interface BarObject { time: number; open: number; high: number; low: number; close: number; volume: number }

/**
 * The comparison backtest: the same 2-SMA reversal strategy and the same fill rules as the engine,
 * written the common way — technicalindicators for indicators and crosses, an object per bar.
 * It returns equity and the trade count so the bench can check both engines agree.
 */
export function tiSmaCrossBacktest(bars: BarObject[], fast: number, slow: number, feesBps: number, slippageBps: number): { equity: number[]; trades: number } {
  const closes = bars.map((b) => b.close);
  // Crosses are computed where both averages exist. CrossUp calls its first bar a cross when
  // a > b; the engine needs a previous pair (DESIGN §3), so that first output is dropped.
  const s = SMA.calculate({ period: slow, values: closes });
  const f = SMA.calculate({ period: fast, values: closes }).slice(slow - fast);
  const head = new Array<boolean>(bars.length - s.length).fill(false);
  const up = [...head, false, ...CrossUp.calculate({ lineA: f, lineB: s }).slice(1)];
  const down = [...head, false, ...CrossDown.calculate({ lineA: f, lineB: s }).slice(1)];
  const fee = feesBps / 1e4;
  const slip = slippageBps / 1e4;
  const equity: number[] = [];
  let pos = 0;
  let cash = 1;
  let units = 0;
  let entryEq = 0;
  let entryPx = 0;
  let trades = 0;
  let pending = 0;
  bars.forEach((bar, t) => {
    if (pending !== 0 && pending !== pos) {
      if (pos !== 0) {
        const px = pos > 0 ? bar.open * (1 - slip) : bar.open * (1 + slip);
        cash = entryEq + pos * units * (px - entryPx) - fee * units * px;
        trades++;
      }
      const px = pending > 0 ? bar.open * (1 + slip) : bar.open * (1 - slip);
      units = cash / px;
      entryEq = cash - fee * units * px;
      entryPx = px;
      pos = pending;
    }
    pending = 0;
    equity.push(pos === 0 ? cash : entryEq + pos * units * (bar.close - entryPx));
    if (t < bars.length - 1) {
      if (up[t] === true) pending = 1;
      else if (down[t] === true) pending = -1;
    }
  });
  if (pos !== 0) {
    const last = bars[bars.length - 1]!;
    const px = pos > 0 ? last.close * (1 - slip) : last.close * (1 + slip);
    equity[equity.length - 1] = entryEq + pos * units * (px - entryPx) - fee * units * px;
    trades++;
  }
  return { equity, trades };
}
