import { randomWalkBars } from './random-walk.ts';
import { runBacktest } from '../src/engine/backtest/run.ts';
const b = randomWalkBars(1_000_000, 42);
const opts = { stopLossPct: null, takeProfitPct: null, feesBps: 2, slippageBps: 1 };
const alt = new Uint8Array(b.time.length); for (let i = 0; i < alt.length; i += 30) alt[i] = (i / 30) % 2 === 0 ? 1 : 4;
for (let k = 0; k < 80; k++) runBacktest(b, alt, opts);
