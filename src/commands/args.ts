import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UserError } from '../core/errors.ts';

type Options = NonNullable<ParseArgsConfig['options']>;

/** parseArgs with strict checking, turning its TypeErrors into usage errors that name the command. */
export function parseCommandArgs<O extends Options>(command: string, argv: string[], options: O, allowPositionals = false) {
  try {
    return parseArgs({ args: argv, options, strict: true, allowPositionals });
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    throw new UserError(`gauntlet ${command}: ${msg}\nRun 'gauntlet ${command} --help' for usage.`);
  }
}

export function requireNumber(command: string, flag: string, raw: string | undefined, opts: { integer?: boolean; min?: number; max?: number } = {}): number | undefined {
  if (raw === undefined) return undefined;
  const n = Number(raw);
  const bad = raw.trim() === '' || !Number.isFinite(n) || (opts.integer === true && !Number.isInteger(n))
    || (opts.min !== undefined && n < opts.min) || (opts.max !== undefined && n > opts.max);
  if (bad) {
    const range = `${opts.integer === true ? 'an integer' : 'a number'}${opts.min !== undefined ? ` ≥ ${opts.min}` : ''}${opts.max !== undefined ? ` ≤ ${opts.max}` : ''}`;
    throw new UserError(`gauntlet ${command}: --${flag} must be ${range}, got "${raw}"`);
  }
  return n;
}
