/**
 * Judgement v2 through the whole loop (docs/gates.md): INSUFFICIENT never ends a session as DEAD; the
 * loop buys evidence, or freezes naming what is missing. Runs go through the CLI's own `main`.
 */
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { GateVerdict } from '../../src/core/research/gate.ts';
import type { ResearchEvent } from '../../src/core/research/events.ts';
import { inproc, parseEvents, readStoreFile, spentIn, summaryOf, workspace } from './helpers.ts';

const ws = workspace('judgement');
afterAll(() => ws.cleanup());

/** The judgements of a session in order: the gate verdicts after each engine step, and what came next. */
function judgements(events: ResearchEvent[]): Array<{ verdicts: GateVerdict[]; next: string | null }> {
  const out: Array<{ verdicts: GateVerdict[]; next: string | null }> = [];
  let current: GateVerdict[] | null = null;
  for (const e of events) {
    if (e.event === 'gate' && e.verdict.gate !== 'complexity') {
      if (current === null) { current = []; out.push({ verdicts: current, next: null }); }
      current.push(e.verdict);
    } else if (e.event === 'proposal' && current !== null) {
      out.at(-1)!.next = e.proposal.action;
      current = null;
    } else if (e.event === 'stage' && e.stage === 'engine' && e.status === 'running') current = null;
  }
  return out;
}

describe('INSUFFICIENT buys evidence; only FAIL kills', () => {
  it('rsi(2) dips on the bundled data no longer die after 30 credits for a sample-size reason', async () => {
    const db = join(ws.dir, 'rsi2');
    const r = await inproc(['research', 'buy when rsi(2) < 10; sell when rsi(2) > 70', '--approve', 'all', '--offline', '--db', db, '--json'], ws.env);
    expect(r.code, r.stderr).toBe(0);
    const events = parseEvents(r.stdout);
    const s = summaryOf(events);
    const js = judgements(events);
    const trail = js.map((j, i) => `#${i + 1}: ${j.verdicts.map((v) => `${v.gate} ${v.verdict}`).join(', ')} → ${j.next ?? s.status}`).join('\n');
    // The starter set (30 credits) is not where it ends any more.
    expect(s.credits_spent, trail).toBeGreaterThan(30);
    expect(s.credits_spent).toBe(spentIn(readStoreFile(db)!, 's1-1'));
    // Every judgement that left a gate INSUFFICIENT (and none FAIL) was answered by more evidence.
    for (const j of js.slice(0, -1)) {
      expect(j.verdicts.some((v) => v.verdict === 'FAIL'), trail).toBe(false);
      if (j.verdicts.some((v) => v.verdict === 'INSUFFICIENT')) expect(['add_symbol', 'add_interval'], trail).toContain(j.next);
    }
    // The end: FROZEN naming the missing sample, or DEAD on a FAIL that had its minimum sample.
    if (s.status === 'FROZEN') expect(s.reason).toMatch(/^insufficient evidence: |^budget exhausted/);
    else {
      expect(s.status, trail).toBe('DEAD');
      const last = js.at(-1)!.verdicts;
      const killer = last.find((v) => v.verdict === 'FAIL')!;
      expect(s.reason.startsWith(`${killer.gate}: `)).toBe(true);
      expect(killer.sample.trades ?? 0, trail).toBeGreaterThanOrEqual(30);
      expect(killer.sample.clusters ?? 12, trail).toBeGreaterThanOrEqual(12);
    }
    // Every verdict names the gate config version.
    expect(new Set(js.flatMap((j) => j.verdicts.map((v) => v.config_version)))).toEqual(new Set(['gates@2']));
  });

  it('a market too short for the robustness split freezes with "insufficient evidence", never DEAD', async () => {
    // 3 symbols, 2 years of daily bars with a strong planted reversion edge: the test part of the
    // visible data is about 6 months, under the 12 calendar months robustness judges from.
    const market = join(ws.dir, 'short');
    const synth = await inproc(['data', 'synth', '--seed', '11', '--symbols', '3', '--sectors', '1', '--interval', '1d', '--days', '504', '--edge', 'mean_reversion:SEC1:1', '--out', market], ws.env);
    expect(synth.code, synth.stderr).toBe(0);
    const r = await inproc(['research', 'buy when rsi(2) < 40; sell when rsi(2) > 60; fees 0 bps; slippage 0 bps', '--universe', market, '--approve', 'all', '--offline', '--db', join(ws.dir, 'short-db'), '--json'], ws.env);
    expect(r.code, r.stderr).toBe(0);
    const s = summaryOf(parseEvents(r.stdout));
    expect(s.status, s.reason).toBe('FROZEN');
    expect(s.reason).toMatch(/^insufficient evidence: .*robustness: test_vs_train_retention unmeasured \(threshold >= 0\.5\) \(test \(last 30\.0% of the span\) vs train: the part has \d+ trades in \d+ clusters \(judged from 30 in ≥ 12\)\)/);
    expect(s.reason).toMatch(/the scope has no more symbols or intervals to add$/);
  });
});

describe('replay applies the recorded costs and gate config', () => {
  it('a session run with --fees, --slippage and a tightened --gates replays identically', async () => {
    const { writeFileSync } = await import('node:fs');
    const gates = join(ws.dir, 'tight.json');
    writeFileSync(gates, JSON.stringify({ edge: { minT: 2.5 }, viability: { maxHedgedDrawdown: 0.2 } }));
    const db = join(ws.dir, 'replay-db');
    const r = await inproc(['research', 'buy when rsi(14) < 30; sell when rsi(14) > 70', '--approve', 'all', '--offline', '--db', db, '--fees', '2', '--slippage', '1', '--gates', gates, '--json'], ws.env);
    expect(r.code, r.stderr).toBe(0);
    const data = readStoreFile(db)!;
    expect((data.specs[0]!.spec as { execution: unknown }).execution).toEqual({ fees_bps: 2, slippage_bps: 1 });
    const edge = data.gates.find((g) => g.gate === 'edge')!;
    expect((edge.measured as { checks: Array<{ threshold: number }> }).checks[0]!.threshold).toBe(2.5);
    const replay = await inproc(['research', '--replay', 's1-1', '--db', db, '--json'], ws.env);
    expect(replay.code, replay.stdout + replay.stderr).toBe(0);
    expect((JSON.parse(replay.stdout) as { identical: boolean }).identical).toBe(true);
  });
});
