/**
 * Spots output that cannot end in an answer while it streams, so the call stops at once instead of
 * paying for it until num_predict, the context or a timeout ends it:
 * - a run of whitespace: backends that ignore `format` pad with whitespace until about 10 × num_ctx
 *   (ollama/ollama#18567; `format:"json"` without a JSON instruction, #2577);
 * - a loop: the same short text repeated (greedy decoding at temperature 0 loops; Qwen3's model card
 *   warns about it).
 * The thresholds sit far above what a JSON reply holds: indentation runs are tens of characters,
 * and no answer repeats one unit of ≤ MAX_PERIOD characters for LOOP_SPAN characters on end.
 */

export const WHITESPACE_RUN = 512;
/**
 * No valid reply comes near this: num_predict allows at most about 4k tokens (≈ 16k characters) for
 * the reply and its thinking. Above it the stream stops, so a hostile server cannot fill the store,
 * the prompt of a retry or the console with megabytes (docs/local-models.md).
 */
export const MAX_REPLY_CHARS = 65_536;
export const LOOP_SPAN = 1200;
const MAX_PERIOD = 200;
/** Re-check only after this many new characters: the check reads LOOP_SPAN × periods characters. */
const CHECK_EVERY = 64;

export class RunawayWatch {
  private checkedAt = 0;

  /** What ran away in `text` (the whole output so far), or null. */
  check(text: string): { what: string; chars: number } | null {
    if (text.length > MAX_REPLY_CHARS) return { what: `a reply longer than ${MAX_REPLY_CHARS} characters`, chars: text.length };
    if (text.length - this.checkedAt < CHECK_EVERY) return null;
    this.checkedAt = text.length;
    const ws = trailingWhitespace(text);
    if (ws >= WHITESPACE_RUN) return { what: 'a run of whitespace', chars: ws };
    if (text.length < LOOP_SPAN) return null;
    const period = tailPeriod(text, LOOP_SPAN, MAX_PERIOD);
    if (period !== null) return { what: `the same ${period} character(s) repeated`, chars: LOOP_SPAN };
    return null;
  }
}

function trailingWhitespace(text: string): number {
  let n = 0;
  for (let i = text.length - 1; i >= 0 && /\s/.test(text[i]!); i--) n++;
  return n;
}

/** The smallest p ≤ maxPeriod such that the last `span` characters repeat with period p, or null. */
export function tailPeriod(text: string, span: number, maxPeriod: number): number | null {
  const start = text.length - span;
  for (let p = 1; p <= maxPeriod; p++) {
    let ok = true;
    for (let i = text.length - 1; i >= start + p; i--) {
      if (text.charCodeAt(i) !== text.charCodeAt(i - p)) {
        ok = false;
        break;
      }
    }
    if (ok) return p;
  }
  return null;
}
