import type { z } from 'zod';

/** An error the user caused and can fix: the CLI prints the message (no stack) and exits with `exitCode`. */
export class UserError extends Error {
  override readonly name: string = 'UserError';
  constructor(message: string, readonly exitCode = 2) {
    super(message);
  }
}

/** Renders a JSON path like `rules.long_entry.all[0][2]`. */
export function formatPath(path: ReadonlyArray<PropertyKey>): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else out += out === '' ? String(key) : `.${String(key)}`;
  }
  return out === '' ? '(root)' : out;
}

/** One line per zod issue: `where: path: message`. */
export function formatZodError(error: z.ZodError, where: string): string {
  return error.issues.map((i) => `${where}: ${formatPath(i.path)}: ${i.message}`).join('\n');
}
