import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { InvariantError } from '../../src/core/invariants.ts';
import { appendEntry } from '../../src/core/ledger/chain.ts';
import type { LedgerEntry, LedgerEntryInput } from '../../src/core/ledger/schema.ts';
import { describeBreach, verifyLedger } from '../../src/core/ledger/verify.ts';

/** An independent canonical JSON (sorted keys, no whitespace) and hash, written here from the spec, not imported. */
function canon(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canon).join(',')}]`;
  if (v !== null && typeof v === 'object') {
    const keys = Object.keys(v).filter((k) => (v as Record<string, unknown>)[k] !== undefined).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canon((v as Record<string, unknown>)[k])}`).join(',')}}`;
  }
  return JSON.stringify(v);
}
const hashOf = (e: Record<string, unknown>): string => {
  const { hash: _h, ...body } = e;
  return createHash('sha256').update(canon(body)).digest('hex');
};
const ZERO = '0'.repeat(64);
const approved = { by: 'user', decision: 'approved' } as const;

/** A realistic ledger: two sessions interleaved, grants, spends, trials, records. */
function sample(): LedgerEntry[] {
  const inputs: LedgerEntryInput[] = [
    { session: 'A', kind: 'grant', action: 'budget', credit: 100 },
    { session: 'A', kind: 'record', action: 'translate', payload: { source: 'fallback' } },
    { session: 'A', kind: 'spend', action: 'initial_backtest', cost: 10, proposal_id: 'p1', approval: approved },
    { session: 'B', kind: 'grant', action: 'budget', credit: 50 },
    { session: 'A', kind: 'trial', action: 'backtest', spec_id: 'a'.repeat(64) },
    { session: 'A', kind: 'spend', action: 'add_symbol', cost: 15, proposal_id: 'p2', approval: approved },
    { session: 'B', kind: 'spend', action: 'optimize', cost: 20, proposal_id: 'p3', approval: { by: 'auto', decision: 'approved' } },
    { session: 'A', kind: 'record', action: 'gate:viability', payload: { verdict: 'PASS' } },
  ];
  const chain: LedgerEntry[] = [];
  inputs.forEach((inp, i) => chain.push(appendEntry(chain, inp, new Date(Date.UTC(2024, 0, 1, 0, i)))));
  return chain;
}

/** A mutable deep copy, as a tamperer editing store.json would have. */
const copy = (c: LedgerEntry[]): Array<Record<string, unknown>> => JSON.parse(JSON.stringify(c)) as Array<Record<string, unknown>>;
/** Re-hashes and re-links from `from` on, as a careful forger would. */
function rechain(c: Array<Record<string, unknown>>, from = 0): Array<Record<string, unknown>> {
  for (let i = from; i < c.length; i++) {
    c[i]!.prev = i === 0 ? ZERO : c[i - 1]!.hash;
    c[i]!.hash = hashOf(c[i]!);
  }
  return c;
}
const verify = (c: Array<Record<string, unknown>>) => verifyLedger(c as unknown as LedgerEntry[]);

describe('ledger chain', () => {
  it('hashes each entry as sha256 of its canonical JSON without `hash`, linked from 64 zeros', () => {
    const c = sample();
    c.forEach((e, i) => {
      expect(e.seq).toBe(i);
      expect(e.hash).toBe(hashOf(e as unknown as Record<string, unknown>));
      expect(e.prev).toBe(i === 0 ? ZERO : c[i - 1]!.hash);
    });
    expect(c.map((e) => `${e.session}:${e.balance}`)).toEqual(['A:100', 'A:100', 'A:90', 'B:50', 'A:90', 'A:75', 'B:30', 'A:75']);
    const v = verifyLedger(c);
    expect(v).toEqual({ ok: true, entries: 8, balances: { A: 75, B: 30 } });
    expect(Object.isFrozen(c[2]) && Object.isFrozen(c[2]!.approval)).toBe(true);
  });

  it('appendEntry refuses breaches with their invariant code', () => {
    const c = sample();
    const codeOf = (inp: LedgerEntryInput): string => {
      try { appendEntry(c, inp); } catch (e) { if (e instanceof InvariantError) return e.code; throw e; }
      return 'accepted';
    };
    expect(codeOf({ session: 'A', kind: 'spend', action: 'optimize', cost: 20, approval: approved })).toBe('I6');
    expect(codeOf({ session: 'A', kind: 'spend', action: 'optimize', cost: 20, proposal_id: 'p9' })).toBe('I6');
    expect(codeOf({ session: 'A', kind: 'record', action: 'sneaky', cost: 1 })).toBe('I6');
    expect(codeOf({ session: 'A', kind: 'spend', action: 'reoptimize', cost: 76, proposal_id: 'p9', approval: approved })).toBe('I7');
    expect(codeOf({ session: 'A', kind: 'grant', action: 'budget', credit: 100 })).toBe('I7');
    expect(codeOf({ session: 'A', kind: 'reset', action: 'promote', credit: 100 })).toBe('I7');
    expect(codeOf({ session: 'A', kind: 'trial', action: 'bt', credit: 5 })).toBe('I7');
    expect(codeOf({ session: 'C', kind: 'trial', action: 'bt' })).toBe('I7');
    expect(codeOf({ session: 'A', kind: 'spend', action: 'reoptimize', cost: 75, proposal_id: 'p9', approval: approved })).toBe('accepted');
  });
});

describe('verifyLedger names the first bad entry', () => {
  it('an edited amount', () => {
    const c = copy(sample());
    c[5]!.cost = 5;
    const v = verify(c);
    expect(v.first_bad).toEqual({ seq: 5, code: 'I9', reason: 'hash does not match its content (edited after it was written?)' });
    expect(describeBreach(v)).toBe('ledger entry #5: hash does not match its content (edited after it was written?)');
  });

  it('an edited amount, re-hashed and re-chained: the balance arithmetic still catches it', () => {
    const c = copy(sample());
    c[5]!.cost = 5;
    const v = verify(rechain(c, 5));
    expect(v.first_bad).toMatchObject({ seq: 5, code: 'I9' });
    expect(v.first_bad!.reason).toBe('balance is 75, expected 85 (= 90 − 5 + 0)');
  });

  it('a deleted entry', () => {
    const c = copy(sample());
    c.splice(3, 1);
    expect(verify(c).first_bad).toMatchObject({ seq: 3, code: 'I9', reason: expect.stringMatching(/^is missing: found entry #4 where #3 belongs/) });
  });

  it('reordered entries', () => {
    const c = copy(sample());
    [c[2], c[3]] = [c[3]!, c[2]!];
    expect(verify(c).first_bad).toMatchObject({ seq: 2, code: 'I9' });
  });

  it('reordered and renumbered entries: the prev link breaks', () => {
    const c = copy(sample());
    [c[2], c[3]] = [c[3]!, c[2]!];
    c[2]!.seq = 2; c[3]!.seq = 3;
    c[2]!.hash = hashOf(c[2]!); c[3]!.hash = hashOf(c[3]!);
    expect(verify(c).first_bad).toMatchObject({ seq: 2, reason: 'its prev link does not match the hash of entry #1 (entries removed, inserted or reordered?)' });
  });

  it('a changed prev link: caught by the hash, or — re-hashed — by the link itself', () => {
    const c = copy(sample());
    c[4]!.prev = c[2]!.hash;
    expect(verify(c).first_bad).toMatchObject({ seq: 4, reason: 'hash does not match its content (edited after it was written?)' });
    c[4]!.hash = hashOf(c[4]!);
    expect(verify(c).first_bad).toMatchObject({ seq: 4, reason: expect.stringMatching(/^its prev link does not match the hash of entry #3/) });
    const d = copy(sample());
    d[0]!.prev = 'f'.repeat(64);
    d[0]!.hash = hashOf(d[0]!);
    expect(verify(d).first_bad).toMatchObject({ seq: 0, reason: expect.stringMatching(/must link to 64 zeros/) });
  });

  it('a forged spend with no approval, perfectly chained: I6', () => {
    const c = copy(sample());
    delete c[5]!.approval;
    expect(verify(rechain(c, 5)).first_bad).toMatchObject({ seq: 5, code: 'I6' });
  });

  it('a forged extra grant or a negative balance, perfectly chained: I7', () => {
    const c = copy(sample());
    Object.assign(c[4]!, { kind: 'grant', action: 'budget', credit: 500, balance: 590 });
    expect(verify(rechain(c, 4)).first_bad).toMatchObject({ seq: 4, code: 'I7' });
    const d = copy(sample());
    Object.assign(d[6]!, { cost: 80, balance: -30 });
    expect(verify(rechain(d, 6)).first_bad).toMatchObject({ seq: 6, code: 'I7', reason: expect.stringMatching(/never negative/) });
  });

  it('known limit: a chain cut off at the end still verifies (the last hash must be anchored elsewhere to detect that)', () => {
    expect(verify(copy(sample()).slice(0, 6)).ok).toBe(true);
  });
});
