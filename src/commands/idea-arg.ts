import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { UserError } from '../core/errors.ts';
import { MAX_TEXT_BYTES, checkInputFile, readInputText } from '../core/input-file.ts';

/**
 * An argument that looks like a path — one word with a "/" (or "\"), or a name ending in .pine,
 * .json or .txt — is meant as a file. When no such file exists it is a typo, reported as such
 * (exit 2), never parsed as rule text ("unknown statement /").
 */
export function looksLikePath(arg: string): boolean {
  const t = arg.trim();
  return /\.(pine|json|txt)$/i.test(t) || (!/\s/.test(t) && /[/\\]/.test(t));
}

/** The file's text when `arg` names an existing file; null when it is text; "file not found" when it looks like a path but is not one. */
export function readIdeaFile(arg: string, cwd: string, what: string): string | null {
  const path = resolve(cwd, arg);
  if (arg.length < 4096 && existsSync(path)) {
    // A FIFO, a device or a directory is named as what it is (a FIFO would block the read forever).
    checkInputFile(path, `${what}: ${arg}`, MAX_TEXT_BYTES, 'text');
    const text = readInputText(path, arg, MAX_TEXT_BYTES, 'idea');
    if (text.trim() === '') throw new UserError(`${arg}: the file is empty`);
    return text;
  }
  if (looksLikePath(arg)) throw new UserError(`${what}: ${arg}: file not found (looked for ${path}); check the path, or quote rule text such as "buy when rsi(14) < 30"`);
  return null;
}
