import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { extractJson } from '../../src/agents/ollama/reply.ts';
import { wireJsonSchema } from '../../src/agents/ollama/wire.ts';

describe('extractJson', () => {
  const v = { a: 'x {y} "z"', b: [1, 2], c: { d: null } };
  const cases: Array<[string, string]> = [
    ['plain', JSON.stringify(v)],
    ['fenced json', '```json\n' + JSON.stringify(v, null, 2) + '\n```'],
    ['fenced, no language', '```\n' + JSON.stringify(v) + '\n```'],
    ['prose around', `Here you go:\n${JSON.stringify(v)}\nHope this helps {:)}`],
    ['padded', `\n\n  \t${JSON.stringify(v)}\n\n\n      `],
  ];
  for (const [name, raw] of cases) it(name, () => expect(extractJson(raw)).toEqual(v));

  it('repairs small syntax slips with jsonrepair', () => {
    expect(extractJson("{'a': 1, b: 'two', 'c': [1, 2,],}")).toEqual({ a: 1, b: 'two', c: [1, 2] });
  });
  it('no JSON at all is an error with a reason', () => {
    expect(() => extractJson('I would rather not.')).toThrow('the reply contains no JSON object');
  });
});

describe('wireJsonSchema', () => {
  it('plain objects, enums, arrays, nullable: accepted as draft-07 without $schema', () => {
    const s = wireJsonSchema(z.object({ a: z.string(), b: z.enum(['x', 'y']), c: z.array(z.object({ id: z.string() })).max(3), n: z.string().nullable() }));
    expect(s).toEqual({
      type: 'object',
      properties: {
        a: { type: 'string' },
        b: { type: 'string', enum: ['x', 'y'] },
        c: { type: 'array', maxItems: 3, items: { type: 'object', properties: { id: { type: 'string' } }, required: ['id'], additionalProperties: false } },
        n: { type: ['string', 'null'] },
      },
      required: ['a', 'b', 'c', 'n'],
      additionalProperties: false,
    });
  });
  it('refuses what the grammar would silently skip', () => {
    expect(() => wireJsonSchema(z.object({ m: z.record(z.string(), z.string()) }))).toThrow(/m: records/);
    expect(() => wireJsonSchema(z.object({ e: z.email() }))).toThrow(/e: "(format|pattern)"/);
    expect(() => wireJsonSchema(z.object({ r: z.number().min(0) }))).toThrow(/r: bounds work only on integers/);
    expect(() => wireJsonSchema(z.object({ k: z.literal('x') }))).toThrow(/k: "const"/);
    expect(() => wireJsonSchema(z.object({ u: z.union([z.object({ a: z.string() }), z.object({ b: z.string() })]) }))).toThrow(/u: "anyOf"/);
  });
});
