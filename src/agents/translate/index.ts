import { UserError } from '../../core/errors.ts';
import { classifyMeta, type SpecLogic } from './meta.ts';
import { translatePine } from './pine/translate.ts';
import { TranslationRefused } from './refused.ts';
import { TranslateOptionsSchema, type TranslateOptions, type Translation, type TranslationKind } from './result.ts';
import { translateRules } from './rules/translate.ts';
import { summarize } from './summary.ts';

export { classifyMeta, type SpecLogic };
export { TranslationRefused };
export type { TranslateOptions, Translation, TranslationKind };

/** Larger inputs are refused up front: no strategy is this long, and every later stage stays linear and bounded. */
export const MAX_INPUT_CHARS = 2_000_000;

/** Pine if it declares a version or opens with strategy()/study()/indicator(); otherwise the rule language. */
export function detectKind(input: string): TranslationKind {
  return /^[ \t]*\/\/[ \t]*@version[ \t]*=/m.test(input) || /^[ \t]*(strategy|study|indicator)[ \t]*\(/m.test(input) ? 'pine' : 'rules';
}

/**
 * The deterministic translator (DESIGN §1 stage 2, the LLM's fallback): Pine Script subset or the
 * plain rule language → a validated spec v1, the warnings that say where it is not a literal
 * rendering, and a one-line summary. Throws only UserError — a TranslationRefused that names the
 * line (or statement and column) and the construct, for anything outside the subsets.
 */
export function translate(input: string, opts: TranslateOptions = {}): Translation {
  if (typeof input !== 'string') throw new UserError('translate: the input must be text');
  const o = TranslateOptionsSchema.safeParse(opts);
  if (!o.success) throw new UserError(`translate: bad options: ${o.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  const kind = detectKind(input);
  const source = o.data.source ?? kind;
  if (input.length > MAX_INPUT_CHARS) {
    throw new TranslationRefused(`${source}: the input has ${input.length} characters, more than the ${MAX_INPUT_CHARS} a strategy can sensibly have; check that this is the right file`, source, [{ line: 1, construct: '(input size)' }]);
  }
  const text = input.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
  const args = { source, name: o.data.name, market_type: o.data.market_type };
  try {
    const { spec, warnings } = kind === 'pine' ? translatePine(text, args) : translateRules(text, args);
    return { spec, warnings, kind, summary: summarize(spec) };
  } catch (e) {
    if (e instanceof UserError) throw e;
    // A bug, not the user's fault; still no stack trace for the user, but say so plainly.
    const msg = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
    throw new UserError(`${source}: internal translator error (${msg}); this is a bug — please report it with the input`, 1);
  }
}
