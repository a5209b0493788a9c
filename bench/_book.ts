import { Book } from '../src/engine/backtest/book.ts';
import { medianMs } from './timing.ts';
const time = new Float64Array(100000).map((_, i) => i);
function go() { const bk = new Book(time, 2e-4, 1e-4, -1, -1); for (let i = 0; i < 33000; i++) { bk.enter(i % 2 ? 1 : -1, 100 + (i % 7), i); bk.exit(101, i + 1, 'signal'); } return bk.trades.length; }
console.log('33k enter+exit ms', medianMs(go, 11).toFixed(2));
function objs() { const a: object[] = []; for (let i = 0; i < 33000; i++) a.push({ side: i % 2 ? 'long' : 'short', entryIndex: i, exitIndex: i + 1, entryTime: i, exitTime: i, entryPrice: 1.5, exitPrice: 2.5, return: 0.1, exitReason: 'signal' }); return a.length; }
console.log('33k objects ms', medianMs(objs, 11).toFixed(2));
