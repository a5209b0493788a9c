import { z } from 'zod';
import { MetaSchema, SpecSchema } from '../../core/spec/schema.ts';

/** What the translator returns. The spec has passed validateSpec and checkReferences. */
export const TranslationSchema = z.strictObject({
  spec: SpecSchema,
  /** Every place the spec is not a literal rendering of the input (fixed levels, defaulted ranges, changed sources …). */
  warnings: z.array(z.string()),
  kind: z.enum(['pine', 'rules']),
  /** One templated line: style, holding period, the rules in words, risk and costs. */
  summary: z.string(),
});
export type Translation = z.infer<typeof TranslationSchema>;
export type TranslationKind = Translation['kind'];

export const TranslateOptionsSchema = z.strictObject({
  /** A file name for messages (`FILE:LINE: …`); defaults to "pine" or "rules". */
  source: z.string().min(1).optional(),
  /** The spec name; overrides the script's title or `name` statement. */
  name: z.string().trim().min(1, { message: 'name must not be empty' }).optional(),
  /** meta.market_type; the translator cannot tell from the rules, so it defaults to equities. */
  market_type: MetaSchema.shape.market_type.optional(),
});
export type TranslateOptions = z.infer<typeof TranslateOptionsSchema>;
