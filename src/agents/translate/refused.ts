import { UserError } from '../../core/errors.ts';

/** One place in the input the translator cannot carry into a spec. */
export interface RefusalSite {
  /** 1-based line of the input. */
  readonly line: number;
  /** 1-based column (of the statement, for the rule language), when known. */
  readonly column?: number;
  /** The construct as the user wrote it or would recognise it: `request.security`, `for`, `rsi(14)`. */
  readonly construct: string;
}

/**
 * The translator's only error: the input is outside the supported subset, or malformed. The
 * message is complete and user-facing (file, line, construct, why, what to do); `sites` lists every
 * place found, the first being the one `line` and `construct` name. A UserError, so the CLI prints
 * it without a stack and exits 2.
 */
export class TranslationRefused extends UserError {
  override readonly name: string = 'TranslationRefused';
  readonly line: number;
  readonly column: number | undefined;
  readonly construct: string;

  constructor(message: string, readonly source: string, readonly sites: readonly [RefusalSite, ...RefusalSite[]]) {
    super(message, 2);
    this.line = sites[0].line;
    this.column = sites[0].column;
    this.construct = sites[0].construct;
  }
}

/** A construct outside the Pine subset, in the house format `FILE:LINE: <construct> is not in the supported Pine subset: <why>. <what to do>`. */
export interface PineIssue {
  readonly line: number;
  readonly construct: string;
  /** Why it cannot be translated (no trailing period). */
  readonly why: string;
  /** What the user can do instead (a sentence). */
  readonly fix: string;
}

export function pineLine(source: string, i: PineIssue): string {
  return `${source}:${i.line}: ${i.construct} is not in the supported Pine subset: ${i.why}. ${i.fix}`;
}

export function pineRefusal(source: string, issues: readonly [PineIssue, ...PineIssue[]]): TranslationRefused {
  return new TranslationRefused(issues.map((i) => pineLine(source, i)).join('\n'), source, issues.map(({ line, construct }) => ({ line, construct })) as [RefusalSite, ...RefusalSite[]]);
}

/** Shorthand for the common single-issue refusal. */
export function refusePine(source: string, line: number, construct: string, why: string, fix: string): never {
  throw pineRefusal(source, [{ line, construct, why, fix }]);
}

/**
 * Malformed Pine (a bracket never closed, a token where the grammar wants another): reported as a
 * syntax error at the line and column where the parser lost its way, never as "not in the subset",
 * because the script would not compile on TradingView either.
 */
export function pineSyntaxError(source: string, line: number, col: number, construct: string, message: string): never {
  throw new TranslationRefused(`${source}:${line}:${col}: syntax error: ${message}. Fix the script (it would not compile on TradingView either) and translate it again.`, source, [{ line, column: col, construct }]);
}
