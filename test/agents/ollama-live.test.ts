import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { OllamaClient } from '../../src/agents/ollama/ollama-client.ts';
import { resolveOllamaSettings } from '../../src/agents/ollama/config.ts';
import { structuredCall } from '../../src/agents/ollama/structured.ts';

// Opt-in: OLLAMA_LIVE=1 (and OLLAMA_MODEL, default llama3.2) against a real Ollama.
const live = process.env.OLLAMA_LIVE === '1';

describe.skipIf(!live)('live Ollama', () => {
  const { host } = resolveOllamaSettings({ env: process.env });
  const model = process.env.OLLAMA_MODEL ?? 'llama3.2';
  const client = new OllamaClient({ host });

  it('status is ok and a structured call validates', async () => {
    const s = await client.status(model);
    expect(s.state).toBe('ok');
    const Wire = z.object({ colour: z.enum(['red', 'green', 'blue']), reason: z.string() });
    const r = await structuredCall({
      client, model, role: 'live', system: 'You answer in JSON.', prompt: 'Which colour is grass?',
      wireSchema: Wire, fullSchema: Wire, seed: 1,
    });
    expect(r.value.colour).toBe('green');
    expect(r.transcript.at(-1)?.model_digest).toMatch(/^[0-9a-f]{64}$/);
  });
});
