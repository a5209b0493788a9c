import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sha256 } from '../../core/spec/hash.ts';

/**
 * Prompts are versioned files, `<role>.v<N>.md`, next to this module. A prompt is never edited in
 * place once a session used it: a change is a new version, so a transcript's prompt stays replayable.
 */

export const PROMPT_ROLES = ['translator', 'director', 'reviewer'] as const;
export type PromptRole = (typeof PROMPT_ROLES)[number];

export interface Prompt {
  role: PromptRole;
  version: number;
  /** `translator.v1`: the name transcripts record. */
  id: string;
  text: string;
  /** sha256 of the text, so a replay can tell an edited file from the one it recorded. */
  hash: string;
}

const DIR = fileURLToPath(new URL('.', import.meta.url));
const FILE = /^([a-z]+)\.v(\d+)\.md$/;

/** The available versions of a role's prompt, ascending. */
export function promptVersions(role: PromptRole, dir = DIR): number[] {
  return readdirSync(dir)
    .map((f) => FILE.exec(f))
    .filter((m): m is RegExpExecArray => m !== null && m[1] === role)
    .map((m) => Number(m[2]))
    .sort((a, b) => a - b);
}

/** Loads a role's prompt: the given version, or the newest. */
export function loadPrompt(role: PromptRole, version?: number, dir = DIR): Prompt {
  const versions = promptVersions(role, dir);
  const v = version ?? versions.at(-1);
  if (v === undefined || !versions.includes(v)) {
    throw new Error(`no prompt ${role}.v${version ?? '?'} (available: ${versions.map((n) => `v${n}`).join(', ') || 'none'})`);
  }
  const text = readFileSync(join(dir, `${role}.v${v}.md`), 'utf8');
  return { role, version: v, id: `${role}.v${v}`, text, hash: sha256(text) };
}
