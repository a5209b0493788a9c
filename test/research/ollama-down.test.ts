/**
 * Ollama down: with nothing listening at the host, a session completes on the rules in about the
 * time --offline takes (one refused connection, no waiting), says so on its first line, and writes
 * the ledger --offline writes. A host that accepts connections and never answers costs one short
 * status timeout, not a hang.
 */
import { createServer, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LedgerEntry } from '../../src/core/ledger/schema.ts';
import { closedPortUrl } from '../support/fake-ollama.ts';
import { STACK_FRAME, STOCK_IDEA, inproc, parseEvents, readStoreFile, storeProblems, summaryOf, workspace } from './helpers.ts';

const ws = workspace('ollama-down');
let silent: Server;
const sockets: Socket[] = [];
let silentUrl = '';

beforeAll(async () => {
  // Warm the data cache, so neither measured session pays for parsing the CSVs.
  expect((await inproc(['research', STOCK_IDEA, '--offline', '--approve', 'all', '--db', join(ws.dir, 'warm')], ws.env)).code).toBe(0);
  silent = createServer((s) => { sockets.push(s); });
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
  silentUrl = `http://127.0.0.1:${(silent.address() as { port: number }).port}`;
}, 60_000);
afterAll(async () => {
  for (const s of sockets) s.destroy();
  await new Promise<void>((resolve) => silent.close(() => resolve()));
  ws.cleanup();
});

async function timed(db: string, extra: string[], env: Record<string, string> = {}) {
  const t0 = performance.now();
  const r = await inproc(['research', STOCK_IDEA, '--approve', 'all', '--seed', '4', '--db', db, '--json', ...extra], { ...ws.env, ...env });
  const ms = performance.now() - t0;
  expect(r.code, r.stderr).toBe(0);
  expect(r.stderr).not.toMatch(STACK_FRAME);
  return { ms, events: parseEvents(r.stdout) };
}

const CLOCK_FREE = ['seq', 'session', 'kind', 'action', 'cost', 'credit', 'balance', 'proposal_id', 'approval', 'spec_id', 'payload'] as const;
const clockFree = (e: LedgerEntry) => Object.fromEntries(CLOCK_FREE.map((k) => [k, e[k]]));

describe('research with Ollama down', () => {
  it('nothing listening: completes on the rules about as fast as --offline, says so, and writes the same ledger', async () => {
    const host = await closedPortUrl();
    const off = await timed(join(ws.dir, 'offline'), ['--offline']);
    const down = await timed(join(ws.dir, 'down'), ['--model', 'fake-model'], { OLLAMA_HOST: host });
    expect(down.ms, `down ${down.ms.toFixed(0)} ms, offline ${off.ms.toFixed(0)} ms`).toBeLessThan(off.ms + 2_000);
    expect(down.events[0]).toEqual({ event: 'note', text: `Ollama is not running at ${host}: the session continues on the rules agents (start Ollama with \`ollama serve\`, or pass --offline)` });
    expect(summaryOf(down.events)).toEqual(summaryOf(off.events));
    const [a, b] = [readStoreFile(join(ws.dir, 'offline'))!, readStoreFile(join(ws.dir, 'down'))!];
    expect(b.ledger.map(clockFree)).toEqual(a.ledger.map(clockFree));
    expect(storeProblems(b)).toEqual([]);
    expect(b.transcripts).toEqual([]);
    expect(down.events.filter((e) => e.event === 'proposal').every((e) => e.event === 'proposal' && e.proposal.source === 'rules')).toBe(true);
  }, 60_000);

  it('the human output says it on stderr; stdout stays the session report', async () => {
    const host = await closedPortUrl();
    const r = await inproc(['research', STOCK_IDEA, '--approve', 'all', '--db', join(ws.dir, 'human'), '--ollama', host], ws.env);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe(`Ollama is not running at ${host}: the session continues on the rules agents (start Ollama with \`ollama serve\`, or pass --offline)\n`);
    expect(r.stdout.split('\n')[0]).toMatch(/^session s1-1 /);
  }, 60_000);

  it('a host that accepts connections and never answers costs one short status timeout, not a hang', async () => {
    const off = await timed(join(ws.dir, 'offline2'), ['--offline']);
    const mute = await timed(join(ws.dir, 'mute'), ['--model', 'fake-model'], { OLLAMA_HOST: silentUrl });
    expect(mute.ms, `mute ${mute.ms.toFixed(0)} ms, offline ${off.ms.toFixed(0)} ms`).toBeLessThan(off.ms + 5_000);
    expect(mute.events[0]).toMatchObject({ event: 'note', text: expect.stringMatching(/^Ollama is not responding at .*first-byte timeout after 3000 ms.*: the session continues on the rules agents/) as string });
    expect(summaryOf(mute.events).status).toBe(summaryOf(off.events).status);
  }, 60_000);
});
