import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { resolveAgents, storeSink } from '../../src/commands/agents-wiring.ts';
import { FAKE_MODEL, REVIEW_REPLY, directorReply, roleResponder, scenarios, startFakeOllama, type FakeOllama } from '../support/fake-ollama.ts';
import { readStoreFile } from '../research/helpers.ts';
import { KEY, openConsole, type ConsoleFixture } from './support.tsx';

/**
 * The console with the agents on a model, through the fake Ollama server (real HTTP): the header
 * names the model, the Director's prose is the model's, and the Reviewer's text shows while it
 * streams in, before the review event replaces it with the checked diagnosis.
 */
describe('console on a model (fake Ollama server)', () => {
  let fake: FakeOllama;
  let fx: ConsoleFixture | null = null;
  const model = roleResponder({}, {
    director: (body) => scenarios.valid(directorReply(body)),
    reviewer: () => scenarios.slow(REVIEW_REPLY, 120),
  });
  beforeAll(async () => { fake = await startFakeOllama({ respond: (b) => model.respond(b) }); });
  afterAll(async () => { await fake.close(); });
  afterEach(async () => { await fx?.cleanup(); fx = null; });

  it('streams the Reviewer\'s words into its pane, and shows who answered', async () => {
    fx = await openConsole({
      env: { GAUNTLET_OLLAMA_TIMEOUTS: 'connect=2000,first_byte=5000,idle=5000' },
      agentsFor: (store, io) => resolveAgents({ offline: false, ollama: fake.url, model: 'fake-model', io, sink: storeSink(store), seed: 1 }),
    });
    const d = fx.drawn;
    const label = `fake-model@${FAKE_MODEL.digest.slice(0, 12)}`;
    const start = await d.waitFor((x) => x.includes('Examples ('), 10_000, 'the start screen');
    expect(start.split('\n')[0]).toMatch(new RegExp(`LLM ${label}  data: survivorship-biased$`));
    await d.press(KEY.enter);
    const first = await d.waitFor((x) => x.includes('Director proposes: initial_backtest'), 30_000, 'the first proposal');
    expect(first).toContain('rules chose, ollama ranked');
    expect(first).toContain('why: initial:');
    await d.press('a');
    await d.waitFor((x) => /Director proposes: (?!initial)/.test(x), 30_000, 'the second proposal');
    await d.press('a');
    const seenFrom = d.frames.length;
    // The first judging of the starter set is followed by its review (and then, the judgement being
    // INSUFFICIENT or final, the next proposal or the verdict).
    await d.waitFor((x) => x.includes('─ 8 Reviewer ✓'), 60_000, 'the first review');

    // While the reviewer ran, its pane showed a beginning of the diagnosis without its end, more of it frame by frame.
    const words = REVIEW_REPLY.diagnosis;
    const partial = d.frames.slice(seenFrom)
      .filter((f) => f.includes('─ 8 Reviewer ●') && f.includes('The behaviour') && !f.replace(/\s+/g, ' ').includes(words.slice(-20)))
      .map((f) => f.split('\n').filter((l) => l.includes('The behaviour') || l.startsWith('─ 8 Reviewer')).join('\n'));
    expect(new Set(partial).size).toBeGreaterThanOrEqual(2);
    const end = d.lastFrame();
    expect(end).toContain(`─ 8 Reviewer ✓`);
    expect(end).toContain('ollama · intent partly');
    const data = readStoreFile(fx.dir)!;
    expect(data.reviews.map((r) => r.source)).toEqual([`ollama:${label}`]);
    expect((data.reviews[0]!.payload as { diagnosis: string }).diagnosis).toBe(words);
    expect(data.transcripts.filter((t) => t.role === 'reviewer').map((t) => t.outcome)).toEqual(['ok']);
    // Longer than the sum of the waits, so that on a loaded machine the wait that ran out names itself.
  }, 150_000);
});
