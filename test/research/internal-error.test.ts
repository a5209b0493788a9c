/**
 * A bug after a charge (here: the engine throwing a RangeError, as a grid too large to hold did) is
 * never stored as a verdict: the session is closed INTERRUPTED with "internal error", and the error
 * still reaches the caller.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { Budget } from '../../src/core/budget/budget.ts';
import { runResearch } from '../../src/core/research/loop.ts';
import { openStore } from '../../src/core/store/store.ts';
import { bufferIo } from '../../src/commands/io.ts';
import { openUniverse } from '../../src/commands/data-source.ts';
import { researchDeps } from '../../src/commands/research-wiring.ts';
import { approveAll, approveAllAndPromote } from '../../src/agents/rules/approvers.ts';
import { EDGE_IDEA, EDGE_MARKET, ROOT, inproc, readStoreFile, workspace } from './helpers.ts';

const ws = workspace('internal-error');
const market = join(ws.dir, 'market');
beforeAll(async () => {
  expect((await inproc(['data', 'synth', ...EDGE_MARKET, '--out', market], ws.env)).code).toBe(0);
}, 60_000);
afterAll(() => ws.cleanup());

describe('a crash after a charge', () => {
  it('closes the session INTERRUPTED with the internal error, records no DEAD verdict, and rethrows', async () => {
    const db = join(ws.dir, 'db');
    const io = bufferIo(ws.env, ROOT);
    const store = await openStore(db);
    const deps = researchDeps({ universe: openUniverse(io, market), store, approver: { decide: async () => ({ decision: 'approve' }) }, seed: 1, budget: new Budget({ credits: 1000 }), mode: 'auto', io });
    deps.engine = { ...deps.engine, backtest: () => { throw new RangeError('Invalid array length'); } };
    let thrown: unknown = null;
    try {
      for await (const e of runResearch(EDGE_IDEA, deps)) void e;
    } catch (e) {
      thrown = e;
    } finally {
      await store.close();
    }
    expect(thrown).toBeInstanceOf(RangeError);
    const data = readStoreFile(db)!;
    expect(data.sessions).toHaveLength(1);
    expect(data.sessions[0]).toMatchObject({ status: 'INTERRUPTED', reason: 'internal error: Invalid array length' });
    // Charged before the crash, and no status record but INTERRUPTED.
    expect(data.ledger.filter((x) => x.kind === 'spend').map((x) => x.action)).toEqual(['initial_backtest']);
    expect(data.ledger.filter((x) => x.action.startsWith('status:')).map((x) => x.action)).toEqual(['status:INTERRUPTED']);
  }, 60_000);
});

describe('automatic approval and kill (hardening)', () => {
  it.each([['--approve all', approveAll], ['--approve all+promote', approveAllAndPromote]])('%s with a Director that ranks kill first ends FROZEN, saying why, never KILLED', async (flag, approver) => {
    const db = join(ws.dir, `db-kill-${flag.length}`);
    const io = bufferIo(ws.env, ROOT);
    const store = await openStore(db);
    const deps = researchDeps({ universe: openUniverse(io, market), store, approver, seed: 1, budget: new Budget({ credits: 1000 }), mode: 'auto', io });
    // A model Director that puts kill first whenever it is offered.
    const rules = deps.director;
    deps.director = {
      rank: async (input, opts) => {
        const r = await rules.rank(input, opts);
        const kill = input.candidates.find((c) => c.action === 'kill');
        return kill === undefined ? r : { ...r, value: { ...r.value, order: [kill.id, ...r.value.order.filter((x) => x !== kill.id)] } };
      },
    };
    const events = [];
    try {
      for await (const e of runResearch(EDGE_IDEA, deps)) events.push(e);
    } finally {
      await store.close();
    }
    const summary = events.at(-1) as { event: string; status: string; reason: string };
    const data = readStoreFile(db)!;
    expect(data.sessions[0]!.status).not.toBe('KILLED');
    expect(data.ledger.some((x) => x.action === 'status:KILLED')).toBe(false);
    // The rule was exercised: kill was offered, refused by the automatic approval, and the session frozen.
    expect(data.decisions.filter((d) => d.note === 'automatic approval never approves kill').map((d) => d.decision)).toEqual(['vetoed']);
    expect(summary).toMatchObject({ event: 'summary', status: 'FROZEN' });
    expect(summary.reason).toMatch(/^the Director proposed to stop \(.*\); an automatic approval does not kill a session, so it is frozen for a person to decide$/);
  }, 60_000);
});
