/**
 * vitest global set-up: the tests that start bin/gauntlet.js (the installed entry point) run the
 * compiled dist/, so it is rebuilt here when it is missing or older than src/ (about a second).
 * The other tests run the TypeScript sources and do not need it.
 */
import { buildProblem } from '../../scripts/build-state.mjs';
import { build } from '../../scripts/build.mjs';

export default async function setup(): Promise<void> {
  if (buildProblem() !== null) await build({ quiet: true });
}
