import { readFileSync } from 'node:fs';
import { STORE_VERSION } from '../core/store/schema.ts';
import { GATES_VERSION } from '../core/research/gate.ts';
import { SPEC_SCHEMA_ID, SPEC_SCHEMA_ID_ATR } from '../core/spec/schema.ts';

/** `gauntlet --version`: the package version and the versions of the contracts it reads and writes. */
export function versionText(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  return `gauntlet ${pkg.version} (spec ${SPEC_SCHEMA_ID} and ${SPEC_SCHEMA_ID_ATR.replace(/^.*@/, "@")}, gate config ${GATES_VERSION}, store v${STORE_VERSION}, Node ${process.versions.node})\n`;
}
