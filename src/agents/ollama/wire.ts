import { z } from 'zod';

/**
 * The JSON schema sent as `format`. Ollama hands it to llama.cpp's grammar builder, which silently
 * skips what it cannot express (anyOf mixed with properties, $ref, patterns, formats, number
 * bounds …) and then generates unconstrained. So wire schemas must stay plain: objects, strings,
 * enums, integers, booleans, arrays. We refuse anything else up front rather than find out from a
 * model that ignored it; the stricter rules belong to the full schema, checked after parsing.
 */
export function wireJsonSchema(schema: z.ZodType): Record<string, unknown> {
  const json = z.toJSONSchema(schema, { target: 'draft-07', io: 'output', unrepresentable: 'throw', reused: 'inline' }) as Record<string, unknown>;
  delete json.$schema;
  stripSafeIntegerBounds(json);
  const problems = grammarProblems(json, '');
  if (problems.length > 0) throw new Error(`wire schema is not grammar-friendly:\n${problems.join('\n')}`);
  return json;
}

const UNSUPPORTED = ['anyOf', 'oneOf', 'allOf', 'not', '$ref', 'if', 'then', 'else', 'patternProperties',
  'propertyNames', 'pattern', 'format', 'uniqueItems', 'const', 'definitions', '$defs'];

export function grammarProblems(node: unknown, path: string): string[] {
  if (node === null || typeof node !== 'object') return [];
  if (Array.isArray(node)) return node.flatMap((n, i) => grammarProblems(n, `${path}[${i}]`));
  const obj = node as Record<string, unknown>;
  const out: string[] = UNSUPPORTED.filter((k) => k in obj).map((k) => `${path || '(root)'}: "${k}" is not supported by the grammar`);
  if (obj.type === 'number' && ('minimum' in obj || 'maximum' in obj || 'exclusiveMinimum' in obj || 'exclusiveMaximum' in obj)) {
    out.push(`${path || '(root)'}: bounds work only on integers`);
  }
  if (obj.type === 'object' && typeof obj.additionalProperties === 'object') {
    out.push(`${path || '(root)'}: records (free keys) are not supported: use an array of {key, …} objects`);
  }
  for (const key of ['properties', 'items']) {
    const child = obj[key];
    if (key === 'properties' && child && typeof child === 'object') {
      for (const [name, sub] of Object.entries(child)) out.push(...grammarProblems(sub, path ? `${path}.${name}` : name));
    } else if (key === 'items') out.push(...grammarProblems(child, `${path}[]`));
  }
  return out;
}

/**
 * zod's z.int() emits ±MAX_SAFE_INTEGER bounds. They say nothing the grammar needs, and llama.cpp
 * turns integer bounds into digit-by-digit rules, so a 16-digit range only bloats the grammar.
 */
function stripSafeIntegerBounds(node: unknown): void {
  if (node === null || typeof node !== 'object') return;
  if (Array.isArray(node)) return node.forEach(stripSafeIntegerBounds);
  const obj = node as Record<string, unknown>;
  if (obj.minimum === Number.MIN_SAFE_INTEGER) delete obj.minimum;
  if (obj.maximum === Number.MAX_SAFE_INTEGER) delete obj.maximum;
  Object.values(obj).forEach(stripSafeIntegerBounds);
}
