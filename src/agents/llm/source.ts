/**
 * Who answered, as results and records name it (DESIGN §1): `rules`, or `ollama:<model>@<digest>`
 * with the first 12 hex digits of the model's digest — what `ollama list` prints and the console's
 * header shows. The full digest stays in every transcript (`model_digest`).
 */
export const DIGEST_PREFIX = 12;

export function ollamaSource(model: string, digest: string | null): string {
  return digest === null ? `ollama:${model}` : `ollama:${model}@${digest.slice(0, DIGEST_PREFIX)}`;
}

/** `model@digest12`, for a header. */
export function modelLabel(model: string, digest: string): string {
  return `${model}@${digest.slice(0, DIGEST_PREFIX)}`;
}

/** `openai:<model>`: an OpenAI-compatible server publishes no digest. */
export function openaiSource(model: string): string {
  return `openai:${model}`;
}
