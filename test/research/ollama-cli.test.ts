/**
 * The research command's agent flags: --help documents them, --replay hands over to the replay
 * command (and refuses an idea beside it), and a bad GAUNTLET_OLLAMA_TIMEOUTS is bad input.
 */
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { STACK_FRAME, STOCK_IDEA, inproc, workspace } from './helpers.ts';

const ws = workspace('ollama-cli');
afterAll(() => ws.cleanup());

describe('research: agent flags', () => {
  it('--help documents --ollama, --model, --offline, --replay and the timeouts variable', async () => {
    const r = await inproc(['research', '--help'], ws.env);
    expect(r.code).toBe(0);
    for (const flag of ['--ollama URL', '--model NAME', '--offline', '--replay ID', 'GAUNTLET_OLLAMA_TIMEOUTS', 'OLLAMA_HOST']) expect(r.stdout).toContain(flag);
  });

  it('--replay hands the session to the replay command, which names an unknown one (exit 2)', async () => {
    const db = join(ws.dir, 'db');
    expect((await inproc(['research', STOCK_IDEA, '--offline', '--approve', 'none', '--db', db], ws.env)).code).toBe(0);
    const r = await inproc(['research', '--replay', 's404-1', '--db', db], ws.env);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/no session "s404-1".*\nRecent sessions: s1-1/);
    expect(r.stderr).not.toMatch(STACK_FRAME);
  }, 60_000);

  it('--replay with an idea beside it is refused: the session recorded its own', async () => {
    const r = await inproc(['research', STOCK_IDEA, '--replay', 's1-1'], ws.env);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^gauntlet research --replay: give a session id and no idea/);
  });

  it('a malformed GAUNTLET_OLLAMA_TIMEOUTS is bad input, named, before anything runs', async () => {
    const r = await inproc(['research', STOCK_IDEA, '--approve', 'none', '--db', join(ws.dir, 'db2')], { ...ws.env, GAUNTLET_OLLAMA_TIMEOUTS: 'first_byte=soon' });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^GAUNTLET_OLLAMA_TIMEOUTS: "first_byte=soon" is not KEY=MS/);
  });
});
