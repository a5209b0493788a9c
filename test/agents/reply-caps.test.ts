import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { OllamaClient } from '../../src/agents/ollama/ollama-client.ts';
import { InvalidReply, Runaway } from '../../src/agents/ollama/errors.ts';
import { MAX_REPLY_CHARS } from '../../src/agents/ollama/runaway.ts';
import { ECHO_CHARS, structuredCall, type TranscriptEntry } from '../../src/agents/ollama/structured.ts';
import { startFakeOllama, type FakeOllama } from '../support/fake-ollama.ts';

const Wire = z.object({ mood: z.enum(['calm', 'wild']) });

let fake: FakeOllama;
beforeAll(async () => { fake = await startFakeOllama(); });
afterAll(() => fake.close());

function call(entries: TranscriptEntry[], maxRetries = 0) {
  return structuredCall({
    client: new OllamaClient({ host: fake.url, timeouts: { firstByteMs: 5_000, idleMs: 5_000 } }),
    model: 'fake-model', role: 'reviewer', system: 's', prompt: 'p', wireSchema: Wire, fullSchema: Wire, seed: 1, maxRetries,
    onTranscript: (e) => entries.push(e),
  });
}

describe('reply caps (hardening)', () => {
  it('a 10 MB reply is stopped at the cap and nothing of it is kept in the transcript', async () => {
    // 10 MB of varied text (no whitespace run, no short loop): only the size cap can stop it.
    const piece = Array.from({ length: 1000 }, (_, i) => (i * 7919 % 1000).toString(36)).join('-');
    const chunks = Array.from({ length: Math.ceil(10e6 / piece.length) }, () => piece);
    fake.script({ kind: 'reply', chunks: ['{"mood": "', ...chunks] });
    const entries: TranscriptEntry[] = [];
    const err = await call(entries).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Runaway);
    expect((err as Error).message).toContain(`a reply longer than ${MAX_REPLY_CHARS} characters`);
    expect(entries).toHaveLength(1);
    expect(entries[0]!.response).toBe('');
    expect(JSON.stringify(entries[0]).length).toBeLessThan(4096);
  });

  it('a retry carries at most ECHO_CHARS of the failed reply, so prompts do not grow by whole replies', async () => {
    const bad = `{"mood": "${'x'.repeat(40_000)}"}`;
    fake.script({ kind: 'reply', chunks: [bad] }, { kind: 'reply', chunks: [bad] });
    const entries: TranscriptEntry[] = [];
    await expect(call(entries, 1)).rejects.toBeInstanceOf(InvalidReply);
    const second = JSON.parse(entries[1]!.request) as { messages: Array<{ role: string; content: string }> };
    const echoed = second.messages.find((m) => m.role === 'assistant')!.content;
    expect(echoed).toBe(`${bad.slice(0, ECHO_CHARS)}\n… (${bad.length - ECHO_CHARS} more characters cut)`);
    expect(entries[1]!.request.length - entries[0]!.request.length).toBeLessThan(ECHO_CHARS + 2000);
  });
});
