import { randomWalkBars } from './random-walk.ts';
import { compile } from '../src/engine/compiler/compile.ts';
import { SMA_CROSS } from './sma-cross.ts';
const b = randomWalkBars(1_000_000, 42);
const c = compile(SMA_CROSS);
for (let i = 0; i < 60; i++) c.backtest(b, { reuse: true });
