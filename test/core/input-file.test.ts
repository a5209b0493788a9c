import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { MAX_DATA_BYTES, MAX_TEXT_BYTES, readInputText } from '../../src/core/input-file.ts';
import { loadUniverseDir } from '../../src/engine/data/universe.ts';
import { readRaw } from '../../src/engine/data/source.ts';

const dir = mkdtempSync(join(tmpdir(), 'gauntlet-input-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const message = (f: () => unknown): string => {
  try { f(); } catch (e) { return (e as Error).message; }
  return '(read)';
};

describe('file inputs are regular and bounded (hardening)', () => {
  it('refuses a FIFO at once (never blocks) and /dev/zero, naming the file', () => {
    const fifo = join(dir, 'spec.fifo');
    execFileSync('mkfifo', [fifo]);
    expect(message(() => readInputText(fifo, 'spec.fifo', MAX_TEXT_BYTES, 'spec'))).toBe('spec.fifo: is a named pipe (FIFO), not a regular file; give the path of a spec file');
    expect(message(() => readRaw('/dev/zero'))).toBe('/dev/zero: is a device, not a regular file; give the path of a CSV/TSV bar file');
  });
  it('refuses a bar file over 512 MiB from its size alone (a sparse 2 GiB file is never read)', () => {
    const big = join(dir, 'big.csv');
    writeFileSync(big, '');
    truncateSync(big, 2 * 1024 ** 3);
    expect(message(() => readRaw(big, 'big.csv'))).toBe(`big.csv: ${2 * 1024 ** 3} bytes, more than the ${MAX_DATA_BYTES / 2 ** 20} MiB a CSV/TSV bar file may have`);
  });
  it('refuses universe.json files outside the universe directory (../, absolute, a symlink out) without reading them', () => {
    const u = join(dir, 'u');
    mkdirSync(u);
    writeFileSync(join(dir, 'secret.csv'), 'TOP SECRET first line\n');
    symlinkSync(join(dir, 'secret.csv'), join(u, 'link.csv'));
    for (const rel of ['../secret.csv', join(dir, 'secret.csv'), 'link.csv']) {
      writeFileSync(join(u, 'universe.json'), JSON.stringify({ schema: 'gauntlet/universe@1', symbols: { ACME: { sector: 'Industrials', files: { '1d': rel } } } }));
      const m = message(() => loadUniverseDir(u, { cwd: dir }));
      expect(m).toContain(`symbols.ACME.files.1d: "${rel}" is outside the universe directory`);
      expect(m).not.toContain('TOP SECRET');
    }
  });
});
