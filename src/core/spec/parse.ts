import { UserError, formatZodError } from '../errors.ts';
import { SpecSchema, type Spec } from './schema.ts';

/** Recursively freezes a value: a loaded spec is immutable (a change is a new version). */
export function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value as Record<string, unknown>)) deepFreeze(v);
  }
  return value;
}

/** Where in `text` a character offset falls, as "line L, column C". */
function lineCol(text: string, offset: number): string {
  let line = 1;
  let col = 1;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text[i] === '\n') { line++; col = 1; } else col++;
  }
  return `line ${line}, column ${col}`;
}

/** Parses JSON text, naming the file and position of a syntax error. */
export function parseJsonText(text: string, where: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    const pos = /position (\d+)/.exec(msg);
    const at = pos !== null ? ` at ${lineCol(text, Number(pos[1]))}` : '';
    throw new UserError(`${where}: not valid JSON${at}: ${msg}`);
  }
}

/** Validates a spec object; errors name `where` and the JSON path. Returns a frozen spec. */
export function validateSpec(value: unknown, where: string): Spec {
  const r = SpecSchema.safeParse(value);
  if (!r.success) throw new UserError(`${formatZodError(r.error, where)}\nFix the spec (see specs/ for examples and DESIGN §3 for the schema).`);
  return deepFreeze(r.data);
}

export function parseSpecText(text: string, where: string): Spec {
  return validateSpec(parseJsonText(text, where), where);
}
