import type { Message } from './ollama-client.ts';

/**
 * Token arithmetic without the model's tokenizer (the server does not expose one). The estimate
 * errs high: 3 characters a token, where English prose runs nearer 4 and JSON near 3, plus the chat
 * template's few tokens per message. `format` is not counted: Ollama turns it into a grammar, not
 * prompt tokens (our prompts carry the schema as text as well, and that is counted).
 */
export const CHARS_PER_TOKEN = 3;
const PER_MESSAGE = 8;
const TEMPLATE = 32;

export function estimateTokens(messages: readonly Message[], _format?: unknown): number {
  let chars = 0;
  for (const m of messages) chars += m.content.length;
  return Math.ceil(chars / CHARS_PER_TOKEN) + PER_MESSAGE * messages.length + TEMPLATE;
}

/** The smallest window asked for: Ollama's own default was 2048 until 0.6, far too small for the translator's prompt. */
export const MIN_NUM_CTX = 8192;
/**
 * The window a session asks for when the model allows it: the translator's prompt (≈4k tokens with
 * its schema), a long idea, and its reply fit. More costs memory (the KV cache grows with it) for
 * nothing our prompts need.
 */
export const WANTED_NUM_CTX = 16384;

/**
 * num_ctx for a whole session, decided once: changing it between calls makes Ollama reload the
 * model. The model's trained window caps it (asking for more makes the server cut or fail).
 */
export function sessionNumCtx(contextLength: number | null): number {
  if (contextLength === null) return MIN_NUM_CTX;
  return Math.min(WANTED_NUM_CTX, contextLength);
}
