import { MetaSchema } from '../../../core/spec/schema.ts';
import { refusePine } from '../refused.ts';
import type { StatedMeta } from '../meta-notes.ts';

/** What `// @gauntlet key=value …` lines state: meta fields Pine has no words for, and exact costs in bps. */
export interface Annotation {
  readonly meta: StatedMeta;
  readonly fees_bps: number | null;
  readonly slippage_bps: number | null;
}

const LINE = /^[ \t]*\/\/[ \t]*@gauntlet\b(.*)$/gm;
const KEYS = 'holding=short|medium|long|intraday, market=equities|crypto|futures|forex, style=mean_reversion|trend_following|breakout|momentum|other, fees_bps=N, slippage_bps=N';

/**
 * Reads every `// @gauntlet` comment line. A comment is invisible to TradingView, so the script
 * still runs there unchanged; an unknown key or value is refused, naming its line, rather than
 * silently ignored.
 */
export function readAnnotation(text: string, source: string): Annotation {
  const meta: { -readonly [K in keyof StatedMeta]: StatedMeta[K] } = {};
  let fees: number | null = null;
  let slippage: number | null = null;
  for (const m of text.matchAll(LINE)) {
    const line = text.slice(0, m.index).split('\n').length;
    const bad = (what: string, why: string): never => refusePine(source, line, `the annotation \`${what}\``, why, `Write // @gauntlet with ${KEYS}.`);
    for (const pair of m[1]!.trim().split(/[ \t,]+/).filter((x) => x !== '')) {
      const eq = pair.indexOf('=');
      if (eq <= 0) bad(pair, 'it is not key=value');
      const key = pair.slice(0, eq).toLowerCase();
      const value = pair.slice(eq + 1).toLowerCase();
      const pick = <K extends keyof StatedMeta>(field: K, schemaKey: 'holding_period' | 'market_type' | 'style'): void => {
        const r = MetaSchema.shape[schemaKey].safeParse(value);
        if (!r.success) bad(pair, `"${value}" is not one of ${MetaSchema.shape[schemaKey].options.join(' ')}`);
        (meta as Record<string, unknown>)[field] = r.data;
      };
      if (key === 'holding') pick('holding_period', 'holding_period');
      else if (key === 'market') pick('market_type', 'market_type');
      else if (key === 'style') pick('style', 'style');
      else if (key === 'fees_bps' || key === 'slippage_bps') {
        const v = Number(value);
        if (value === '' || !Number.isFinite(v) || v < 0 || v > 1000) bad(pair, 'it is not a number of basis points between 0 and 1000');
        if (key === 'fees_bps') fees = v; else slippage = v;
      } else bad(pair, `"${key}" is not a key the annotation knows`);
    }
  }
  return { meta, fees_bps: fees, slippage_bps: slippage };
}
