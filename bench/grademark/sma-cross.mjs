// The cli_backtest_1m peer: grademark 0.3 (with data-forge and chai@4, installed by the bench into a
// temporary directory) running the bench's SMA 10/50 long-only cross on a CSV file, printing its
// trades as JSON. Run as `node sma-cross.mjs FILE.csv PEER_DIR`, PEER_DIR holding that node_modules.
//
// The strategy is gauntlet's exactly: SMAs from a compensated (two-sum) rolling sum, so each is the
// correctly rounded window mean as gauntlet's are; enter when fast > slow at this bar and the one
// before and fast ≤ slow two bars back (exit: mirrored); orders at a close fill at the next open; a
// position still open at the end is closed at the last close. The cross is confirmed by a second bar
// because grademark evaluates no rule on the bar an order fills: a one-bar whipsaw would otherwise
// be traded differently by design, not by error. With the confirmation no signal can fall on a fill
// bar. The signals are computed in prepIndicators, once, which is the cheapest way to feed
// grademark; the data is read with data-forge's own CSV reader.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

const [file, peerDir] = process.argv.slice(2);
const requirePeer = createRequire(join(peerDir, 'package.json'));
const dataForge = requirePeer('data-forge');
const { backtest } = requirePeer('grademark');

function exactSma(x, period) {
  const out = new Float64Array(x.length).fill(NaN);
  let sum = 0;
  let comp = 0;
  for (let i = 0; i < x.length; i++) {
    const add = (v) => {
      const t = sum + v;
      const vv = t - sum;
      comp += (sum - (t - vv)) + (v - vv);
      sum = t;
    };
    add(x[i]);
    if (i >= period) add(-x[i - period]);
    if (i >= period - 1) out[i] = (sum + comp) / period;
  }
  return out;
}

const input = dataForge.fromCSV(readFileSync(file, 'utf8'), { dynamicTyping: true });
const strategy = {
  prepIndicators: ({ inputSeries }) => {
    const close = inputSeries.getSeries('close').toArray();
    const fast = exactSma(close, 10);
    const slow = exactSma(close, 50);
    const up = close.map((_, i) => i > 1 && fast[i - 2] <= slow[i - 2] && fast[i - 1] > slow[i - 1] && fast[i] > slow[i]);
    const down = close.map((_, i) => i > 1 && fast[i - 2] >= slow[i - 2] && fast[i - 1] < slow[i - 1] && fast[i] < slow[i]);
    return inputSeries.withSeries({ up: new dataForge.Series(up), down: new dataForge.Series(down) });
  },
  entryRule: (enter, { bar }) => { if (bar.up) enter(); },
  exitRule: (exit, { bar }) => { if (bar.down) exit(); },
};
const trades = backtest(strategy, input);
process.stdout.write(JSON.stringify(trades.map((t) => ({ entry_time: t.entryTime, entry_price: t.entryPrice, exit_time: t.exitTime, exit_price: t.exitPrice }))));
