// Entry of an optimiser worker thread. A worker starts as a fresh Node isolate: the TypeScript
// loader of the main thread (vitest's transform, `tsx src/cli.ts`, bin/gauntlet.js) does not carry
// over reliably, so this plain-JS file installs tsx's ESM loader and then imports the TS worker.
import { register } from 'tsx/esm/api';

register();
await import('./trial-worker.ts');
