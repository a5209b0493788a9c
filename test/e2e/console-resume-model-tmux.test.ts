/**
 * Resume of a session the model answered, end to end in real terminals (tmux, 100×30), against the
 * fake Ollama server (real HTTP on 127.0.0.1, in this process so its requests can be counted):
 * the console translates a plain-language idea (only the model can), ranks and reviews on the
 * model; `q` suspends it early, at its second proposal; `gauntlet resume ID` in another process
 * replays the recorded part from the recorded transcripts (no chat reaches the server until the
 * waiting proposal is offered again), then goes live, and the next proposals are the model's again.
 * Afterwards the ledger verifies and `--replay` is identical, byte for byte.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FakeOllama, RecordedRequest, RoleResponder } from '../support/fake-ollama.ts';
import { PLAIN_IDEA, startGoodFakeOllama } from '../support/fake-ollama-server.ts';
import { EDGE_MARKET, STACK_FRAME, inproc, readStoreFile, workspace } from '../research/helpers.ts';
import { nextProposal, openConsole, shownProposal, storeDecisions } from './console-screen.ts';
import { tmuxAvailable, type Terminal } from './tmux.ts';

const HAVE_TMUX = tmuxAvailable();
const ws = workspace('e2e-resume-model');
const market = join(ws.dir, 'edge');
const terminals: Terminal[] = [];
let fake: FakeOllama;
let model: RoleResponder;

beforeAll(async () => {
  if (!HAVE_TMUX) return;
  const synth = await inproc(['data', 'synth', ...EDGE_MARKET, '--out', market], ws.env);
  expect(synth.code, synth.stderr).toBe(0);
  ({ fake, model } = await startGoodFakeOllama());
}, 60_000);

afterAll(async () => {
  for (const t of terminals) await t.close();
  await fake?.close();
  ws.cleanup();
});

/** A chat that asks a role something (the console's model-load request has no messages). */
const roleChats = (rs: readonly RecordedRequest[]): number => rs.filter((q) => q.url === '/api/chat' && (q.body.messages as unknown[]).length > 0).length;

async function open(args: string[]): Promise<Terminal> {
  const term = await openConsole({ args, env: { OLLAMA_HOST: fake.url, GAUNTLET_CACHE: ws.cache } });
  terminals.push(term);
  return term;
}

describe.skipIf(!HAVE_TMUX)('resume of a model-answered session, in real terminals, on the fake Ollama server', () => {
  it('q suspends; resume in another process replays from the transcripts without asking the model, then goes live; the ledger verifies and replays', async () => {
    const db = join(ws.dir, 'db');
    const first = await open(['--db', db, '--universe', market, '--model', 'fake-model', '--idea', PLAIN_IDEA]);
    const p1 = await nextProposal(first, null, 60_000);
    expect(p1.proposal).not.toBeNull();
    await first.keys('a');
    await storeDecisions(db, 1);
    const { proposal: waiting } = await nextProposal(first, p1.proposal, 60_000);
    expect(waiting).not.toBeNull();
    await first.keys('q');
    expect(await first.exited(20_000)).toBe(0);

    let data = readStoreFile(db)!;
    expect(data.sessions.map((s) => [s.id, s.status])).toEqual([['s1-1', 'SUSPENDED']]);
    // The model answered: the translation (only it can read PLAIN_IDEA), the Director's rankings.
    const asked = { ...model.calls };
    expect(asked.translator).toBe(1);
    expect(asked.director).toBeGreaterThanOrEqual(2);
    const recorded = data.transcripts.filter((t) => t.session === 's1-1');
    expect(recorded.length).toBe(roleChats(fake.requests));
    expect(recorded.every((t) => t.model === 'fake-model:latest' || t.model === 'fake-model')).toBe(true);
    const chatsAtSuspension = roleChats(fake.requests);

    // Another process resumes on the same server: the recorded part comes from the transcripts.
    const second = await open(['resume', 's1-1', '--db', db, '--model', 'fake-model']);
    const again = await second.waitFor((s) => shownProposal(s) !== null || /^gauntlet/m.test(s), 'the waiting proposal, offered again', 60_000);
    expect(again).not.toMatch(STACK_FRAME);
    expect(shownProposal(again)).toEqual(waiting);
    expect(readStoreFile(db)!.sessions.map((s) => s.status)).toEqual(['RUNNING']);
    expect(roleChats(fake.requests)).toBe(chatsAtSuspension);
    expect(model.calls).toEqual(asked);

    // Live again: approving asks the model for what comes next.
    await second.keys('a');
    await storeDecisions(db, 2);
    const { proposal: next } = await nextProposal(second, waiting, 60_000);
    expect(roleChats(fake.requests)).toBeGreaterThan(chatsAtSuspension);
    expect(model.calls.director + model.calls.reviewer).toBeGreaterThan(asked.director + asked.reviewer);
    if (next !== null) {
      await second.keys('k');
      await second.waitFor((s) => s.includes('Kill the strategy?'), 'the kill confirmation');
      await second.keys('y');
    }
    await second.waitFor((s) => /■ (DEAD|FROZEN|KILLED|PROMOTED)/.test(s), 'the verdict');
    await second.keys('q');
    expect(await second.exited(20_000)).toBe(0);

    data = readStoreFile(db)!;
    expect(data.sessions.map((s) => s.id)).toEqual(['s1-1']);
    expect(data.sessions[0]!.status).not.toBe('SUSPENDED');
    // Every model answer of the session is recorded once, replayed part and live part alike.
    expect(data.transcripts.filter((t) => t.session === 's1-1').length).toBe(roleChats(fake.requests));
    const verify = await inproc(['ledger', '--verify', '--db', db], ws.env);
    expect(verify.code, verify.stdout + verify.stderr).toBe(0);
    const chatsBeforeReplay = fake.requests.length;
    const replay = await inproc(['research', '--replay', 's1-1', '--db', db], ws.env);
    expect(replay.stdout).toMatch(/^replay of s1-1: \d+ ledger entries recorded, \d+ replayed — identical, byte for byte$/m);
    expect(replay.code, replay.stdout + replay.stderr).toBe(0);
    expect(fake.requests.length).toBe(chatsBeforeReplay);
  }, 240_000);
});

if (!HAVE_TMUX) {
  it.skip('needs tmux on PATH: the model-answered resume terminal test did not run', () => undefined);
}
