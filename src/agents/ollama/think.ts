import type { ModelFacts, Think } from './ollama-client.ts';

/** Ollama added the `think` request field (and the `thinking` reply field) in 0.9.0. */
const THINK_SINCE = [0, 9, 0] as const;

/**
 * The `think` every structured call of a session sends. Thinking does not help a reply whose shape a
 * schema fixes, and it costs minutes on a laptop, so it is off — except for gpt-oss-style models,
 * which cannot switch it off and take only low/medium/high. Nothing is sent to a model that cannot
 * think (it would answer 400) or to a server that predates the field; a thinking model there writes
 * `<think>…</think>` into its content, which the reply parser strips.
 */
export function thinkPolicy(facts: Pick<ModelFacts, 'capabilities' | 'family'>, version: string, model: string): Think | undefined {
  if (facts.capabilities === null || !facts.capabilities.includes('thinking')) return undefined;
  if (versionBefore(version, THINK_SINCE)) return undefined;
  if (/gpt-?oss/i.test(model) || /gpt-?oss/i.test(facts.family ?? '')) return 'low';
  return false;
}

/** true when `version` is older than `min`; an unparseable (dev) version counts as current. */
export function versionBefore(version: string, min: readonly number[]): boolean {
  const parts = version.split(/[.-]/).map((p) => Number.parseInt(p, 10));
  for (let i = 0; i < min.length; i++) {
    const v = parts[i] ?? 0;
    const m = min[i] ?? 0;
    if (Number.isNaN(v)) return false;
    if (v !== m) return v < m;
  }
  return false;
}
