import { UserError } from '../core/errors.ts';
import { isInterval } from '../core/intervals.ts';
import { inScope, type ResearchScope } from '../core/research/scope.ts';
import { suggest, type Universe } from '../engine/data/universe.ts';

/**
 * `--symbols A,B,…`, `--sector NAME`, `--interval I`, checked against the universe before anything is
 * written: an unknown symbol or sector is named with the closest names, and a scope that leaves no
 * symbol says why.
 */
export function scopeFlags(command: string, universe: Universe, values: { symbols?: string | undefined; sector?: string | undefined; interval?: string | undefined }): ResearchScope {
  const scope: { symbols?: string[]; sector?: string; interval?: ResearchScope['interval'] } = {};
  const names = universe.symbols();
  if (values.symbols !== undefined) {
    const list = [...new Set(values.symbols.split(',').map((s) => s.trim()).filter((s) => s !== ''))];
    if (list.length === 0) throw new UserError(`gauntlet ${command}: --symbols needs a comma-separated list of symbols, e.g. --symbols AAPL,MSFT`);
    const exact = new Map(names.map((n) => [n.toUpperCase(), n]));
    const unknown = list.filter((s) => !exact.has(s.toUpperCase()));
    if (unknown.length > 0) {
      const hints = unknown.map((s) => { const near = suggest(s, names); return near.length > 0 ? `${s} (did you mean ${near.join(', ')}?)` : s; });
      throw new UserError(`gauntlet ${command}: --symbols: not in the universe: ${hints.join('; ')}. 'gauntlet data info' lists the symbols.`);
    }
    scope.symbols = list.map((s) => exact.get(s.toUpperCase())!);
  }
  if (values.sector !== undefined) {
    const sectors = [...new Set(names.map((n) => universe.info(n).sector))].sort();
    const match = sectors.find((s) => s.toLowerCase() === values.sector!.trim().toLowerCase());
    if (match === undefined) throw new UserError(`gauntlet ${command}: --sector "${values.sector}" is not a sector of the universe; its sectors: ${sectors.join(', ')}`);
    scope.sector = match;
  }
  if (values.interval !== undefined) {
    if (!isInterval(values.interval)) throw new UserError(`gauntlet ${command}: --interval must be one of 1m 5m 15m 1h 4h 1d, got "${values.interval}"`);
    scope.interval = values.interval;
  }
  if (Object.keys(scope).length > 0) {
    const kept = names.filter((n) => { const i = universe.info(n); return inScope({ symbol: n, sector: i.sector, market_type: i.market_type, intervals: [...i.intervals] }, scope); });
    if (kept.length === 0) {
      throw new UserError(`gauntlet ${command}: no symbol of the universe is in that scope (${[
        scope.symbols === undefined ? null : `symbols ${scope.symbols.join(',')}`,
        scope.sector === undefined ? null : `sector ${scope.sector}`,
        scope.interval === undefined ? null : `interval ${scope.interval}`,
      ].filter((x) => x !== null).join(', ')}); 'gauntlet data info' lists what each symbol has`);
    }
  }
  return scope;
}

/** The scope as a session's translate entry records it, so a replay researches the same scope. */
export function scopeProvenance(scope: ResearchScope): Record<string, string> {
  return {
    ...(scope.symbols === undefined ? {} : { scope_symbols: scope.symbols.join(',') }),
    ...(scope.sector === undefined ? {} : { scope_sector: scope.sector }),
    ...(scope.interval === undefined ? {} : { scope_interval: scope.interval }),
  };
}

/** The scope a recorded session ran with (see scopeProvenance). */
export function recordedScope(p: Record<string, string | number | boolean | null>): ResearchScope {
  return {
    ...(typeof p.scope_symbols === 'string' ? { symbols: p.scope_symbols.split(',') } : {}),
    ...(typeof p.scope_sector === 'string' ? { sector: p.scope_sector } : {}),
    ...(typeof p.scope_interval === 'string' && isInterval(p.scope_interval) ? { interval: p.scope_interval } : {}),
  };
}
