import { describe, expect, it } from 'vitest';
import { requireNumber } from '../../src/commands/args.ts';
import { MAX_TIMER_MS, parseTimeouts } from '../../src/commands/agents-wiring.ts';

const refusal = (f: () => unknown): string => {
  try {
    f();
  } catch (e) {
    return (e as Error).message;
  }
  return '(accepted)';
};

describe('integer flags are exact (hardening)', () => {
  it('refuses 2^53 + 1 (it would silently equal 2^53), naming the flag', () => {
    expect(refusal(() => requireNumber('research', 'seed', '9007199254740993', { integer: true, min: 0 })))
      .toBe('gauntlet research: --seed must be an integer ≥ 0 of at most 9007199254740991 (2^53 − 1), got "9007199254740993"');
    expect(requireNumber('research', 'seed', '9007199254740991', { integer: true, min: 0 })).toBe(Number.MAX_SAFE_INTEGER);
  });
  it('refuses 1e308, 0x10, 1e3 and 10.0 for an integer flag, naming it', () => {
    for (const raw of ['1e308', '0x10', '1e3', '10.0']) {
      expect(refusal(() => requireNumber('research', 'budget', raw, { integer: true, min: 1 }))).toBe(`gauntlet research: --budget must be an integer ≥ 1, got "${raw}"`);
    }
    expect(requireNumber('research', 'budget', '16', { integer: true, min: 1 })).toBe(16);
  });
});

describe('timeouts fit a timer (hardening)', () => {
  it('refuses 3e9 ms (Node would fire it after 1 ms) and takes 2^31 − 1', () => {
    expect(refusal(() => parseTimeouts('first_byte=3000000000')))
      .toBe(`GAUNTLET_OLLAMA_TIMEOUTS: "first_byte=3000000000" is not KEY=MS with KEY one of connect, first_byte, idle, call and MS a whole number of milliseconds from 1 to ${MAX_TIMER_MS} (e.g. "first_byte=300000,idle=60000,call=600000")`);
    expect(parseTimeouts(`call=${MAX_TIMER_MS}`)).toEqual({ callMs: MAX_TIMER_MS });
  });
});
