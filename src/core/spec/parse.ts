import { UserError, formatZodError } from '../errors.ts';
import { SpecSchema, type Spec } from './schema.ts';
import { jsonErrorPosition, rawProblems } from './json-checks.ts';

/** Freezes a value and everything in it (iteratively: depth costs no stack). A loaded spec is immutable. */
export function deepFreeze<T>(value: T): T {
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const v = stack.pop();
    if (v !== null && typeof v === 'object' && !Object.isFrozen(v)) {
      Object.freeze(v);
      for (const x of Object.values(v as Record<string, unknown>)) stack.push(x);
    }
  }
  return value;
}

/** Parses JSON text, naming the file and position of a syntax error. */
export function parseJsonText(text: string, where: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    const at = jsonErrorPosition(text);
    throw new UserError(`${where}: not valid JSON${at === null ? '' : ` at ${at}`}: ${msg}`);
  }
}

/** Validates a spec object; errors name `where` and the JSON path. Returns a frozen spec. */
export function validateSpec(value: unknown, where: string): Spec {
  rawProblems(value, where);
  const r = SpecSchema.safeParse(value);
  if (!r.success) throw new UserError(`${formatZodError(r.error, where)}\nFix the spec (see specs/ for examples and docs/spec.md for the schema).`);
  return deepFreeze(r.data);
}

export function parseSpecText(text: string, where: string): Spec {
  return validateSpec(parseJsonText(text, where), where);
}
