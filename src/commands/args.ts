import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UserError } from '../core/errors.ts';
import { closest } from './suggest.ts';

type Options = NonNullable<ParseArgsConfig['options']>;

/**
 * `--fees -1`: parseArgs reads "-1" as an option and reports an ambiguity; a number after a flag that
 * takes a value is its value (the command then says what is wrong with it), so it is joined as `--fees=-1`.
 */
export function negativeValues(argv: readonly string[], options: Options): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const next = argv[i + 1];
    const name = a.startsWith('--') && !a.includes('=') ? a.slice(2) : null;
    if (name !== null && options[name]?.type === 'string' && next !== undefined && /^-(\d|\.\d)/.test(next)) {
      out.push(`${a}=${next}`);
      i++;
    } else out.push(a);
  }
  return out;
}

/** parseArgs with strict checking, turning its TypeErrors into usage errors that name the command. */
export function parseCommandArgs<O extends Options>(command: string, argv: string[], options: O, allowPositionals = false) {
  try {
    return parseArgs({ args: negativeValues(argv, options), options, strict: true, allowPositionals });
  } catch (e) {
    throw new UserError(`gauntlet ${command}: ${argsProblem(e, options)}\nRun 'gauntlet ${command} --help' for usage.`);
  }
}

/**
 * parseArgs's errors in our own words: an unknown option with the closest known one, a value missing
 * after an option that takes one, an argument where none is taken.
 */
export function argsProblem(e: unknown, options: Options): string {
  const err = e as { code?: string; message?: string };
  const msg = err.message ?? String(e);
  const named = /'(-{1,2}[^' ]+)/.exec(msg)?.[1];
  if (err.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' && named !== undefined) {
    const flag = named.replace(/^-+/, '');
    const near = closest(flag, Object.keys(options));
    return `unknown option ${named}${near === null ? '' : `; did you mean --${near}?`}`;
  }
  if (err.code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE' && named !== undefined) {
    const flag = named.replace(/^-+/, '').replace(/ <value>$/, '');
    return options[flag]?.type === 'string' ? `--${flag} needs a value` : `--${flag} takes no value`;
  }
  if (err.code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL') return `unexpected argument ${/'([^']*)'/.exec(msg)?.[1] ?? ''}`.trimEnd();
  return msg;
}

export function requireNumber(command: string, flag: string, raw: string | undefined, opts: { integer?: boolean; min?: number; max?: number } = {}): number | undefined {
  if (raw === undefined) return undefined;
  const n = Number(raw);
  // An integer flag is written in decimal digits (no 0x10, no 1e3) and must be exactly representable:
  // 2^53 + 1 would silently become 2^53.
  const unsafe = opts.integer === true && /^\s*[+-]?\d+\s*$/.test(raw) && !Number.isSafeInteger(n);
  const bad = raw.trim() === '' || !Number.isFinite(n) || unsafe
    || (opts.integer === true && !/^\s*[+-]?\d+\s*$/.test(raw))
    || (opts.min !== undefined && n < opts.min) || (opts.max !== undefined && n > opts.max);
  if (bad) {
    const range = `${opts.integer === true ? 'an integer' : 'a number'}${opts.min !== undefined ? ` ≥ ${opts.min}` : ''}${opts.max !== undefined ? ` ≤ ${opts.max}` : ''}`
      + (unsafe ? ` of at most ${Number.MAX_SAFE_INTEGER} (2^53 − 1)` : '');
    throw new UserError(`gauntlet ${command}: --${flag} must be ${range}, got "${raw}"`);
  }
  return n;
}

/** `--fees BPS` / `--slippage BPS`: basis points per fill, 0 to 1000 (the spec's own limits); absent → undefined. */
export function costFlags(command: string, values: { fees?: string | undefined; slippage?: string | undefined }): { fees_bps?: number; slippage_bps?: number } {
  const read = (flag: 'fees' | 'slippage', raw: string | undefined): number | undefined => {
    if (raw === undefined) return undefined;
    const n = Number(raw);
    if (raw.trim() === '' || !Number.isFinite(n) || n < 0 || n > 1000) {
      throw new UserError(`gauntlet ${command}: --${flag} must be basis points per fill, a number from 0 to 1000, got "${raw}"`);
    }
    return n;
  };
  const fees = read('fees', values.fees);
  const slippage = read('slippage', values.slippage);
  return { ...(fees === undefined ? {} : { fees_bps: fees }), ...(slippage === undefined ? {} : { slippage_bps: slippage }) };
}

/** The flags every research session takes, on `research` and the console alike: costs and scope. */
export const SESSION_FLAGS = {
  fees: { type: 'string' },
  slippage: { type: 'string' },
  symbols: { type: 'string' },
  sector: { type: 'string' },
  interval: { type: 'string' },
} as const;
