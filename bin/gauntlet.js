#!/usr/bin/env node
// Runs the compiled CLI (dist/, built by `npm install` or `npm run build`): no TypeScript loader at
// start-up. A missing or out-of-date build is refused in one line that says how to rebuild.
import { buildProblem } from '../scripts/build-state.mjs';

const problem = buildProblem();
if (problem !== null) {
  process.stderr.write(`gauntlet: ${problem}\n`);
  process.exit(2);
}
await import('../dist/cli.js');
