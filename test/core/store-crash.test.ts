import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { verifyLedger } from '../../src/core/ledger/verify.ts';
import { openStore } from '../../src/core/store/store.ts';
import { startFixture } from './store-fixtures/child.ts';
import { mulberry32 as rng } from '../support/mulberry32.ts';


const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const tempFiles = (dir: string): string[] => readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.tmp'));

const root = mkdtempSync(join(tmpdir(), 'gauntlet-crash-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('atomic writes under SIGKILL', () => {
  it('leaves a store that opens and verifies after every one of 24 kills at seeded random moments', async () => {
    const dir = join(root, 'db');
    const random = rng(20240611);
    let entries = 0;
    let killedMidWrite = 0;
    for (let round = 0; round < 24; round++) {
      const child = startFixture('writer.ts', [dir]);
      await child.line(/^ready/);
      await sleep(5 + random() * 120);
      child.proc.kill('SIGKILL');
      const { signal } = await child.exited;
      expect(signal).toBe('SIGKILL');
      if (tempFiles(dir).length > 0) killedMidWrite++;

      // The file on disk is always one complete JSON document: the old one or the new one.
      const raw = JSON.parse(readFileSync(join(dir, 'store.json'), 'utf8')) as { ledger: unknown[]; runs: Array<{ id: string }> };
      // Reopening takes over the dead writer's lock, sweeps its temp files and verifies the chain.
      const store = await openStore(dir);
      const v = verifyLedger(store.ledger());
      expect(v.ok, JSON.stringify(v.first_bad)).toBe(true);
      expect(store.ledger().length).toBe(raw.ledger.length);
      expect(store.ledger().length).toBeGreaterThanOrEqual(entries);
      // Ledger entry and run record were written in one transaction: they are never split.
      expect(store.list('runs').length).toBe(store.ledger().length - 1);
      for (const run of store.list('runs')) {
        const curve = await store.readF64Artifact(run.artifacts.equity!.hash);
        expect(curve.length).toBe(512);
      }
      expect(tempFiles(dir)).toEqual([]);
      entries = store.ledger().length;
      await store.close();
      expect(existsSync(join(dir, 'store.lock'))).toBe(false);
    }
    // The writer made progress between kills, and the kills did land inside writes.
    expect(entries).toBeGreaterThan(24);
    expect(killedMidWrite).toBeGreaterThan(0);
  }, 180_000);
});
