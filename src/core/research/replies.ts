import { z } from 'zod';

/**
 * What the loop keeps of an agent's reply (I8): only these fields, re-validated, whatever the agent
 * returned. An LLM that attaches a verdict, a metric or a cost has it dropped here, because nothing
 * downstream has a field to put it in.
 */
export const ReviewSchema = z.object({
  diagnosis: z.string().max(4000),
  intent_match: z.enum(['yes', 'partly', 'no']),
  unsupported_numbers: z.array(z.string()).default([]),
}).strip();

export const DirectorNoteSchema = z.object({
  justification: z.string().max(1000),
  expected_information_gain: z.string().max(1000),
}).strip();

export const DirectorRankingSchema = z.object({
  order: z.array(z.string()).max(200),
  notes: z.record(z.string(), DirectorNoteSchema).default({}),
}).strip();
