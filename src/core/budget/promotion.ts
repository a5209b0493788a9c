import { z } from 'zod';
import { HashSchema } from '../ledger/schema.ts';

/**
 * The record a promotion leaves (DESIGN §6): the only thing that may reset or extend a budget. Its
 * fields are literal `true`s on purpose — a promotion that did not pass every gate or open the
 * sealed holdout cannot even be constructed, so it cannot pay for more exploration.
 */
export const PromotionSchema = z.strictObject({
  id: z.string().min(1),
  session: z.string().min(1),
  spec_id: HashSchema,
  promoted_at: z.iso.datetime(),
  all_gates_passed: z.literal(true),
  holdout_opened: z.literal(true),
  /** The new dimension the strategy proved stable across, e.g. `sector:Information Technology`. */
  stable_across: z.string().trim().min(1),
});
export type Promotion = z.infer<typeof PromotionSchema>;
