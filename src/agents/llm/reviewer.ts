import { z } from 'zod';
import { unsupportedNumbers } from '../../core/anonymise/numbers.ts';
import type { AgentOptions, AgentResult, Review, ReviewerPort, ReviewInput } from '../../core/research/ports.ts';
import { loadPrompt, type Prompt } from '../prompts/load.ts';
import { askModel, quoted, type ModelContext } from './ask.ts';
import { compactAggregates } from './reviewer-compact.ts';

export const REVIEWER_PROMPT_VERSION = 2;
const DIAGNOSIS_MAX = 4000;

/** Prose and a three-way judgement of intent; no field for a metric, a cost or a verdict (I8). */
export const ReviewWireSchema = z.object({
  diagnosis: z.string(),
  intent_match: z.enum(['yes', 'partly', 'no']),
});

export const ReviewFullSchema = ReviewWireSchema.superRefine((v, ctx) => {
  const t = v.diagnosis.trim();
  if (t === '') ctx.addIssue({ code: 'custom', path: ['diagnosis'], message: 'must not be empty' });
  if (t.length > DIAGNOSIS_MAX) ctx.addIssue({ code: 'custom', path: ['diagnosis'], message: `at most ${DIAGNOSIS_MAX} characters` });
}).transform((v) => ({ diagnosis: v.diagnosis.trim(), intent_match: v.intent_match }));

/** The request: compact JSON (indentation costs tokens), and past SERIES_SHOWN series the compact form (reviewer-compact.ts). */
export function reviewerRequest(input: ReviewInput): string {
  const { aggregates, note } = compactAggregates(input.aggregates);
  return [
    quoted('The stated idea', input.idea),
    `Classification: ${JSON.stringify(input.meta)}`,
    `Aggregates computed by code (symbols are sector + letter, dates are relative):\n${JSON.stringify(aggregates)}`,
    note,
    'Write your diagnosis of the behaviour against the stated intent.',
  ].filter((x) => x !== null).join('\n\n');
}

/**
 * The Reviewer on a model. It sees the anonymised input the loop built; numbers its diagnosis
 * quotes that are not in that input are listed in `unsupported_numbers` (and the loop checks again).
 */
export class OllamaReviewer implements ReviewerPort {
  private readonly prompt: Prompt = loadPrompt('reviewer', REVIEWER_PROMPT_VERSION);

  constructor(private readonly ctx: ModelContext) {}

  async review(input: ReviewInput, opts: AgentOptions = {}): Promise<AgentResult<Review>> {
    const r = await askModel(this.ctx, 'reviewer', this.prompt, reviewerRequest(input), ReviewWireSchema, ReviewFullSchema, opts);
    return { ...r, value: { ...r.value, unsupported_numbers: unsupportedNumbers(r.value.diagnosis, input) } };
  }
}
