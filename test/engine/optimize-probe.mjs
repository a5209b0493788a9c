// Runs a 2-worker optimisation the way bin/gauntlet.js runs the CLI (tsx registered in this thread
// only), or under `tsx` itself, and prints the trials as JSON: the workers must start either way.
import { register } from 'tsx/esm/api';

register();
const { optimize } = await import('../../src/engine/optimize/optimize.ts');
const { synthBars, TEST_SPEC } = await import('./research-fixtures.ts');
const { bars } = synthBars(21, 2, 200);
const r = await optimize(TEST_SPEC, bars, { method: 'grid', trials: 6, seed: 1, workers: 2 });
process.stdout.write(JSON.stringify(r.trials));
