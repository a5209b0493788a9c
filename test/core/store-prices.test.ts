import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_COST_TABLE } from '../../src/core/budget/cost-table.ts';
import { openStore } from '../../src/core/store/store.ts';

/**
 * A session stores the prices it was granted under as a partial record, so that adding an action to
 * the cost table needs no migration: a store written before the action existed still opens.
 */
const root = mkdtempSync(join(tmpdir(), 'gauntlet-prices-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

async function storeWithSession(dir: string): Promise<string> {
  const store = await openStore(dir);
  const t = '2026-12-04T00:00:00.000Z';
  await store.transaction((tx) => {
    tx.put('sessions', { id: 's1-1', created_at: t, updated_at: t, status: 'DEAD', mode: 'auto', spec_id: null, reason: 'x', budget: { credits: 1000, prices: { ...DEFAULT_COST_TABLE } } });
  });
  await store.close();
  return join(dir, 'store.json');
}

describe('session prices', () => {
  it('a session with no price for an action (written before it existed) opens unchanged', async () => {
    const file = await storeWithSession(join(root, 'old'));
    const raw = JSON.parse(readFileSync(file, 'utf8')) as { sessions: Array<{ budget: { prices: Record<string, number> } }> };
    delete raw.sessions[0]!.budget.prices.promote;
    delete raw.sessions[0]!.budget.prices.constrain_universe;
    writeFileSync(file, JSON.stringify(raw));
    const store = await openStore(join(root, 'old'), { readonly: true });
    const prices = store.get('sessions', 's1-1')!.budget.prices;
    expect(Object.keys(prices).sort()).toEqual(Object.keys(DEFAULT_COST_TABLE).filter((k) => k !== 'promote' && k !== 'constrain_universe').sort());
    await store.close();
  });

  it('a price for an action the table does not know is still refused, naming the path', async () => {
    const file = await storeWithSession(join(root, 'unknown'));
    const raw = JSON.parse(readFileSync(file, 'utf8')) as { sessions: Array<{ budget: { prices: Record<string, number> } }> };
    raw.sessions[0]!.budget.prices.teleport = 3;
    writeFileSync(file, JSON.stringify(raw));
    await expect(openStore(join(root, 'unknown'), { readonly: true })).rejects.toThrow(/sessions\[0\]\.budget\.prices/);
  });
});
