/** A staged directory appears complete or not at all (engine/data/atomic-dir.ts). */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { stageDir } from '../../src/engine/data/atomic-dir.ts';
import { tempDir } from './data-helpers.ts';

describe('stageDir', () => {
  it('nothing is visible at the target until commit; a run that died leaves only a staging dir, removed by the next', () => {
    const root = tempDir('gauntlet-atomic-');
    const target = join(root, 'out');
    const dead = stageDir(target, 'out', false);
    dead.write('A.csv', 'x');
    // The process "dies" here: no commit, no abort.
    expect(existsSync(target)).toBe(false);
    expect(readdirSync(root)).toEqual([expect.stringMatching(/^\.out\.staging-/)]);
    const next = stageDir(target, 'out', false);
    expect(readdirSync(root)).toEqual([next.path.slice(root.length + 1)]);
    next.write('B.csv', 'y');
    next.commit();
    expect(readdirSync(root)).toEqual(['out']);
    expect(readdirSync(target)).toEqual(['B.csv']);
  });

  it('refuses a non-empty target unless replacing; a replace swaps the whole directory', () => {
    const root = tempDir('gauntlet-atomic-');
    const target = join(root, 'out');
    mkdirSync(target);
    writeFileSync(join(target, 'old.csv'), 'old');
    expect(() => stageDir(target, 'out', false)).toThrow('out: already holds 1 file(s) (old.csv); choose another --out, or pass --force to replace it');
    const s = stageDir(target, 'out', true);
    s.write('new.csv', 'new');
    s.commit();
    expect(readdirSync(target)).toEqual(['new.csv']);
    expect(readFileSync(join(target, 'new.csv'), 'utf8')).toBe('new');
    expect(readdirSync(root)).toEqual(['out']);
  });
});
