/**
 * Crypto ideas on a crypto universe without editing JSON: an inferred market gives way to the only
 * market the universe has (its default costs too), and says so; a stated market, or a universe with
 * several other markets, is refused before any session is recorded. A --json stream always ends
 * with a summary line, an error included.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inproc, readStoreFile, workspace } from '../research/helpers.ts';

const ws = workspace('market-fit');
afterAll(() => ws.cleanup());
const IDEA = 'buy when rsi(2) < 10; sell when rsi(2) > 70';

/** A synthetic 4-symbol market, relabelled: every symbol `crypto`, or the first one `futures` too. */
async function market(name: string, types: (k: number) => string): Promise<string> {
  const dir = join(ws.dir, name);
  const r = await inproc(['data', 'synth', '--seed', '7', '--symbols', '4', '--sectors', '1', '--interval', '1d', '--days', '300', '--out', dir], ws.env);
  if (r.code !== 0) throw new Error(r.stderr);
  const file = join(dir, 'universe.json');
  const u = JSON.parse(readFileSync(file, 'utf8')) as { symbols: Record<string, { market_type: string }> };
  Object.values(u.symbols).forEach((s, k) => { s.market_type = types(k); });
  writeFileSync(file, JSON.stringify(u));
  return dir;
}

let cryptoOnly: string;
let mixed: string;
beforeAll(async () => {
  cryptoOnly = await market('crypto', () => 'crypto');
  mixed = await market('mixed', (k) => (k === 0 ? 'futures' : 'crypto'));
});

const events = (stdout: string): Array<Record<string, unknown>> => stdout.split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as Record<string, unknown>);

describe('the idea\'s market against the universe', () => {
  it('an inferred market gives way to the only one the universe has: crypto, with crypto\'s default costs, said in the meta note', async () => {
    const db = join(ws.dir, 'db-crypto');
    const r = await inproc(['research', IDEA, '--approve', 'none', '--offline', '--universe', cryptoOnly, '--db', db, '--json'], ws.env);
    expect(r.code, r.stderr).toBe(0);
    const ev = events(r.stdout);
    const tr = ev.find((e) => e.event === 'translation')!;
    expect(tr.warnings).toEqual([
      'costs: the idea states no costs; using the crypto defaults of 10 bps fees + 5 bps slippage per fill (docs/costs.md)',
      'meta: holding period short, inferred from the longest lookback of 2 bars (≤ 20 short, ≤ 60 medium, else long): the Director tries 1h first among 5m 15m 1h 4h 1d and the Reviewer expects holds of 0.5–14 days; market crypto, because the universe has no equities data and only crypto (4 symbols): symbols come from the universe\'s crypto and unstated costs default to 10 + 5 bps. To choose instead, add "holding short|medium|long|intraday" and "market equities|crypto|futures|forex" to the idea.',
    ]);
    expect(tr.summary).toBe('mean reversion, short holding: long when rsi2 < 10; exit long when rsi2 > 70; fees 10 bps; slippage 5 bps');
    const spec = readStoreFile(db)!.specs[0]!.spec as { meta: { market_type: string }; execution: unknown };
    expect([spec.meta.market_type, spec.execution]).toEqual(['crypto', { fees_bps: 10, slippage_bps: 5 }]);
    expect(ev.at(-1)!.event).toBe('summary');
  });

  it('a stated market with no data is refused before any session is recorded; the --json stream still ends with a summary', async () => {
    const db = join(ws.dir, 'db-stated');
    const r = await inproc(['research', `${IDEA}; market equities`, '--approve', 'none', '--offline', '--universe', cryptoOnly, '--db', db, '--json'], ws.env);
    expect(r.code).toBe(2);
    const message = 'the idea\'s market is equities (stated), but the universe has no equities data; it has crypto (4 symbols). No session was recorded. Use a universe with equities data (--universe DIR; gauntlet data import, docs/data.md), or state the idea\'s market (crypto: "market crypto" in the rule language, "// @gauntlet market=crypto" in Pine).';
    expect(r.stderr).toBe(`${message}\n`);
    const last = events(r.stdout).at(-1)!;
    expect(last).toEqual({ event: 'summary', status: 'ERROR', reason: `${message.slice(0, 297)}…`, exit_code: 2, credits_spent: 0, trials: 0, runs: 0 });
    expect(readStoreFile(db)?.sessions ?? []).toEqual([]);
  });

  it('an inferred market with two other markets in the universe is refused, naming both', async () => {
    const db = join(ws.dir, 'db-mixed');
    const r = await inproc(['research', IDEA, '--approve', 'none', '--offline', '--universe', mixed, '--db', db], ws.env);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('agents: rules (offline)\nthe idea\'s market is equities (inferred: the idea names none), but the universe has no equities data; it has futures (1 symbol), crypto (3 symbols). No session was recorded. Use a universe with equities data (--universe DIR; gauntlet data import, docs/data.md), or state the idea\'s market (futures or crypto: "market futures" in the rule language, "// @gauntlet market=futures" in Pine).\n');
    expect(readStoreFile(db)?.sessions ?? []).toEqual([]);
  });

  it('a stated crypto market runs on the crypto universe as stated', async () => {
    const db = join(ws.dir, 'db-crypto-stated');
    const r = await inproc(['research', `${IDEA}; market crypto; holding short`, '--approve', 'none', '--offline', '--universe', cryptoOnly, '--db', db, '--json'], ws.env);
    expect(r.code, r.stderr).toBe(0);
    const tr = events(r.stdout).find((e) => e.event === 'translation')!;
    // Both stated: no meta note.
    expect(tr.warnings).toEqual(['costs: the idea states no costs; using the crypto defaults of 10 bps fees + 5 bps slippage per fill (docs/costs.md)']);
  });
});
