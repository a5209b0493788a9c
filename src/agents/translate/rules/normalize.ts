import type { RuleTok } from './tokenize.ts';

/**
 * What people type → the rule language's canonical tokens, before parsing (docs/rules.md,
 * "Synonyms"). Only rewrites with one reading are made here: `below`/`under` → `<`, `crosses over`
 * → `crosses above`, `5% stop` → `stop 5%`, `rsi` without a period → `rsi(14)` (with a note) …
 * Anything that needs a guess (a left operand left out, words between the verb and `when`) stays
 * an error, for which suggest.ts may offer a rewrite. Synthetic tokens carry the column of the
 * word they replace, so error carets still point into what the user wrote.
 */

/** Conventional parameters, used when a function is written without any (each use is noted). */
export const DEFAULT_ARGS: Readonly<Record<string, { args: readonly number[]; output: string | null }>> = {
  rsi: { args: [14], output: null }, atr: { args: [14], output: null }, adx: { args: [14], output: 'adx' }, cci: { args: [20], output: null },
  mfi: { args: [14], output: null }, williamsr: { args: [14], output: null }, wpr: { args: [14], output: null },
  macd: { args: [12, 26, 9], output: 'macd' }, stoch: { args: [14, 3], output: 'k' },
  bb: { args: [20, 2], output: null }, bbands: { args: [20, 2], output: null },
};
/** Functions whose length is a convention nobody agrees on: written without one, they are refused with a word on why. */
export const NEEDS_PERIOD = new Set(['sma', 'ema', 'wma', 'roc', 'highest', 'lowest', 'keltner', 'kc']);
const SINGLE = new Set(['sma', 'ema', 'wma', 'rsi', 'roc', 'atr', 'cci', 'mfi', 'adx', 'williamsr', 'wpr', 'highest', 'lowest']);
const FILLER = new Set(['the', 'is', 'are', 'its', 'a', 'an', 'price\'s']);
const UP = new Set(['above', 'over', 'up', 'upward', 'upwards', 'through']);
const DOWN = new Set(['below', 'under', 'down', 'downward', 'downwards', 'beneath']);
const CROSS = new Set(['cross', 'crosses', 'crossed', 'crossing']);
const RISE = new Set(['rises', 'rise', 'climbs', 'climb', 'breaks', 'break', 'jumps', 'jump', 'moves', 'move', 'goes', 'go', 'pops']);
const FALL = new Set(['falls', 'fall', 'drops', 'drop', 'dips', 'dip', 'breaks', 'break', 'sinks', 'sink', 'moves', 'move', 'goes', 'go']);
const SPAN = new Set(['day', 'days', 'bar', 'bars', 'period', 'periods', 'candle', 'candles']);
const VERBS: readonly [readonly string[], string][] = [
  [['sell', 'short'], 'short'], [['buy', 'to', 'cover'], 'cover'],
  [['go', 'long'], 'buy'], [['enter', 'long'], 'buy'], [['buy', 'to', 'open'], 'buy'], [['long'], 'buy'], [['enter'], 'buy'],
  [['go', 'short'], 'short'], [['enter', 'short'], 'short'], [['sell', 'short'], 'short'],
  [['exit', 'short'], 'cover'], [['close', 'short'], 'cover'], [['buy', 'to', 'cover'], 'cover'],
  [['exit', 'long'], 'sell'], [['close', 'long'], 'sell'], [['sell', 'to', 'close'], 'sell'], [['close'], 'exit'], [['exit'], 'exit'],
];
const STOP_WORDS: readonly (readonly string[])[] = [['stop', 'loss'], ['stop', '-', 'loss'], ['stoploss'], ['sl'], ['stop']];
const TARGET_WORDS: readonly (readonly string[])[] = [['take', 'profit'], ['take', '-', 'profit'], ['takeprofit'], ['profit', 'target'], ['tp'], ['target'], ['profit']];
const FEE_WORDS: readonly (readonly string[])[] = [['fees'], ['fee'], ['commissions'], ['commission']];

const lower = (t: RuleTok | undefined): string => (t === undefined ? '' : t.kind === 'op' ? t.text : t.text.toLowerCase());
const synth = (at: RuleTok, kind: RuleTok['kind'], text: string): RuleTok => ({ kind, text, col: at.col, end: at.end });

export function normalizeTokens(input: readonly RuleTok[], notes: string[]): RuleTok[] {
  const toks = input.length < 2 ? [...input] : input.filter((t) => !(t.kind === 'word' && FILLER.has(t.text.toLowerCase())));
  // A sentence's full stop is not part of the rule.
  if (toks.length > 1 && toks[toks.length - 1]!.text === '.') toks.pop();
  const at = (k: number, words: readonly string[]): boolean => words.every((w, j) => lower(toks[k + j]) === w);
  const first = (k: number, options: readonly (readonly string[])[]): number => {
    for (const o of options) if (at(k, o)) return o.length;
    return 0;
  };
  const out: RuleTok[] = [];
  const push = (t: RuleTok, kind: RuleTok['kind'], text: string): void => { out.push(synth(t, kind, text)); };
  const num = (k: number): boolean => toks[k]?.kind === 'num';
  let i = 0;

  // ── statement heads ─────────────────────────────────────────────────────
  const head = toks[0];
  if (head !== undefined) {
    for (const [words, verb] of VERBS) {
      // `close` alone starts a statement only as a verb ("close when …"); the field never starts one.
      if (at(0, words) && (words.length > 1 || words[0] !== 'close' || ['when', 'if'].includes(lower(toks[1])))) {
        push(head, 'word', verb);
        i = words.length;
        break;
      }
    }
    // ATR levels: stop 2 atr, stop at 2x atr(20), 2x atr stop, take profit 3 atr → stop|target N atr ( P ).
    if (i === 0) {
      const r = atrRisk(toks, first, notes);
      if (r !== null) return r;
    }
    // N% stop / N% take profit → stop N% / target N%; stop loss at N% → stop N%.
    if (i === 0 && num(0) && lower(toks[1]) === '%') {
      const s = first(2, STOP_WORDS);
      const t = s === 0 ? first(2, TARGET_WORDS) : 0;
      if (s + t > 0 && toks.length === 2 + s + t) return [synth(toks[2]!, 'word', s > 0 ? 'stop' : 'target'), toks[0]!, toks[1]!];
    }
    if (i === 0) {
      const s = first(0, STOP_WORDS);
      const t = s === 0 ? first(0, TARGET_WORDS) : 0;
      if (s + t > 0) {
        let k = s + t;
        if (['at', 'of', 'is', '='].includes(lower(toks[k]))) k++;
        if (num(k) && lower(toks[k + 1]) === '%') return [synth(head, 'word', s > 0 ? 'stop' : 'target'), ...toks.slice(k)];
      }
      // fees N bps | fees N% | N bps fees | commission …
      const f = first(0, FEE_WORDS);
      if (f > 0 || (num(0) && lower(toks[1]) === 'bps' && first(2, FEE_WORDS) > 0)) {
        const k = f > 0 ? f + (['of', 'at', 'is', '='].includes(lower(toks[f])) ? 1 : 0) : 0;
        if (num(k) && lower(toks[k + 1]) === '%' && toks.length === k + 2) {
          const bps = Number((Number(toks[k]!.text) * 100).toPrecision(12));
          notes.push(`fees ${toks[k]!.text}% are read as ${bps} bps (1% = 100 bps)`);
          return [synth(head, 'word', 'fees'), synth(toks[k]!, 'num', String(bps)), synth(toks[k + 1]!, 'word', 'bps')];
        }
        if (num(k) && lower(toks[k + 1]) === 'bps') return [synth(head, 'word', 'fees'), toks[k]!, toks[k + 1]!];
      }
    }
    if (i > 0 && ['if', 'once', 'whenever', 'on'].includes(lower(toks[i]))) { push(toks[i]!, 'word', 'when'); i++; }
    else if (i > 0 && at(i, ['as', 'soon', 'as'])) { push(toks[i]!, 'word', 'when'); i += 3; }
    else if (i === 0 && ['buy', 'sell', 'short', 'cover'].includes(lower(head)) && ['if', 'once', 'whenever', 'on'].includes(lower(toks[1]))) {
      out.push(head);
      push(toks[1]!, 'word', 'when');
      i = 2;
    }
  }

  // ── conditions ─────────────────────────────────────────────────────────
  const hasMacd = toks.some((t) => lower(t) === 'macd');
  while (i < toks.length) {
    const t = toks[i]!;
    const w = lower(t);
    const prevOut = lower(out[out.length - 1]);
    // crossings
    if (CROSS.has(w) && (UP.has(lower(toks[i + 1])) || DOWN.has(lower(toks[i + 1])))) {
      push(t, 'word', 'crosses'); push(toks[i + 1]!, 'word', UP.has(lower(toks[i + 1])) ? 'above' : 'below'); i += 2; continue;
    }
    if (w === 'crossover' || w === 'crossunder') { push(t, 'word', 'crosses'); push(t, 'word', w === 'crossover' ? 'above' : 'below'); i++; continue; }
    if (RISE.has(w) && (lower(toks[i + 1]) === 'above' || lower(toks[i + 1]) === 'over' || at(i + 1, ['out', 'above']))) {
      push(t, 'word', 'crosses'); push(t, 'word', 'above'); i += lower(toks[i + 1]) === 'out' ? 3 : 2; continue;
    }
    if (FALL.has(w) && (lower(toks[i + 1]) === 'below' || lower(toks[i + 1]) === 'under')) {
      push(t, 'word', 'crosses'); push(t, 'word', 'below'); i += 2; continue;
    }
    // comparisons in words
    const cmpWords: readonly [readonly string[], string][] = [
      [['less', 'than', 'or', 'equal', 'to'], '<='], [['greater', 'than', 'or', 'equal', 'to'], '>='],
      [['less', 'than'], '<'], [['lower', 'than'], '<'], [['smaller', 'than'], '<'], [['greater', 'than'], '>'], [['more', 'than'], '>'],
      [['higher', 'than'], '>'], [['bigger', 'than'], '>'], [['at', 'least'], '>='], [['at', 'most'], '<='],
      [['below'], '<'], [['under'], '<'], [['beneath'], '<'], [['above'], '>'], [['over'], '>'],
    ];
    const c = cmpWords.find(([words]) => at(i, words));
    if (c !== undefined && prevOut !== 'crosses') { push(t, 'op', c[1]); i += c[0].length; continue; }
    // price words
    if (w === 'price' || at(i, ['closing', 'price'])) { push(t, 'word', 'close'); i += w === 'price' ? 1 : 2; continue; }
    if (w === 'closes' || w === 'closing') { if (prevOut !== 'close') push(t, 'word', 'close'); i++; continue; }
    // rsi2, sma200 …
    const glued = /^([a-z]+?)(\d+)$/.exec(w);
    if (t.kind === 'word' && glued !== null && SINGLE.has(glued[1]!) && lower(toks[i + 1]) !== '(') {
      push(t, 'word', glued[1]!); push(t, 'op', '('); push(t, 'num', glued[2]!); push(t, 'op', ')');
      const o = DEFAULT_ARGS[glued[1]!]?.output;
      if (o !== undefined && o !== null && lower(toks[i + 1]) !== '.') { push(t, 'op', '.'); push(t, 'word', o); }
      i++; continue;
    }
    // 200-day sma, 50 day moving average, 20-day high
    if (num(i) && (SPAN.has(lower(toks[i + 1])) || (lower(toks[i + 1]) === '-' && SPAN.has(lower(toks[i + 2]))))) {
      const k = i + (lower(toks[i + 1]) === '-' ? 3 : 2);
      const n = toks[i]!;
      const after = lower(toks[k]);
      const ma = at(k, ['exponential', 'moving', 'average']) ? ['ema', 3] as const : at(k, ['simple', 'moving', 'average']) ? ['sma', 3] as const
        : at(k, ['moving', 'average']) ? ['sma', 2] as const : after === 'ma' ? ['sma', 1] as const : SINGLE.has(after) && !['highest', 'lowest'].includes(after) ? [after, 1] as const : null;
      if (ma !== null) { push(n, 'word', ma[0]); push(n, 'op', '('); out.push(n); push(n, 'op', ')'); i = k + ma[1]; continue; }
      if (after === 'high' || after === 'highs' || after === 'low' || after === 'lows') {
        // A breakout compares with the channel of the bars before this one: a close can never exceed today's own high.
        const hi = after.startsWith('high');
        push(n, 'word', hi ? 'highest' : 'lowest'); push(n, 'op', '('); push(n, 'word', hi ? 'high' : 'low'); push(n, 'op', ','); out.push(n); push(n, 'op', ')');
        push(n, 'op', '['); push(n, 'num', '1'); push(n, 'op', ']');
        notes.push(`"${n.text}-${toks[k - 1]!.text} ${toks[k]!.text}" is read as ${hi ? 'highest(high' : 'lowest(low'}, ${n.text})[1], the channel of the ${n.text} bars before the signal bar`);
        i = k + 1; continue;
      }
    }
    // moving average (n) / exponential moving average (n)
    const maw = at(i, ['exponential', 'moving', 'average']) ? ['ema', 3] as const : at(i, ['simple', 'moving', 'average']) ? ['sma', 3] as const
      : at(i, ['moving', 'average']) ? ['sma', 2] as const : w === 'ma' ? ['sma', 1] as const : null;
    if (maw !== null) { push(t, 'word', maw[0]); i += maw[1]; continue; }
    // Bollinger bands in words
    const band = ['lower', 'upper', 'middle'].includes(w) ? w : null;
    if (band !== null && (at(i + 1, ['bollinger', 'band']) || at(i + 1, ['bollinger', 'bands']) || at(i + 1, ['band']) || at(i + 1, ['bb']) || at(i + 1, ['bollinger']))) {
      const len = lower(toks[i + 2]) === 'band' || lower(toks[i + 2]) === 'bands' ? 3 : 2;
      pushBand(out, t, band, notes); i += len; continue;
    }
    if (w === 'bollinger' && ['lower', 'upper', 'middle'].includes(lower(toks[i + 1]))) {
      pushBand(out, t, lower(toks[i + 1]), notes); i += ['band', 'bands'].includes(lower(toks[i + 2])) ? 3 : 2; continue;
    }
    // MACD in words: "macd crosses above (its) signal (line)", "macd histogram"
    if (hasMacd && w === 'signal' && lower(toks[i - 1]) !== '.' && lower(toks[i + 1]) !== '(') {
      pushCall(out, t, 'macd', DEFAULT_ARGS.macd!.args, 'signal');
      notes.push('"signal" is read as the signal line of macd(12, 26, 9)');
      i += lower(toks[i + 1]) === 'line' ? 2 : 1; continue;
    }
    if (w === 'macd' && lower(toks[i + 1]) !== '(' && lower(toks[i + 1]) !== '.' && prevOut !== '.') {
      const hist = lower(toks[i + 1]) === 'histogram' || lower(toks[i + 1]) === 'hist';
      pushCall(out, t, 'macd', DEFAULT_ARGS.macd!.args, hist ? 'histogram' : 'macd');
      notes.push(`"macd" without parameters is read as macd(12, 26, 9)${hist ? '.histogram' : '.macd'}, the usual default`);
      i += hist || lower(toks[i + 1]) === 'line' ? 2 : 1; continue;
    }
    // stochastic %K / %D, "stoch k": the stoch(14, 3) outputs
    const isStoch = w === 'stoch' || w === 'stochastic';
    const kd = (k: number): string | null => {
      const a = lower(toks[k]);
      if (a === 'k' || a === 'd') return a;
      if (a === '%' && (lower(toks[k + 1]) === 'k' || lower(toks[k + 1]) === 'd')) return lower(toks[k + 1]);
      return null;
    };
    // %K / %D is the stochastic's own notation; nothing else in the language is written that way.
    if ((isStoch && kd(i + 1) !== null) || (w === '%' && kd(i) !== null)) {
      const k = isStoch ? i + 1 : i;
      const out1 = kd(k)!;
      pushCall(out, t, 'stoch', DEFAULT_ARGS.stoch!.args, out1);
      notes.push(`"%${out1.toUpperCase()}" is read as stoch(14, 3).${out1}, the usual stochastic default`);
      i = k + (lower(toks[k]) === '%' ? 2 : 1); continue;
    }
    if (w === 'stochastic') { push(t, 'word', 'stoch'); i++; continue; }
    // "200 sma", "12 ema": a length written before its average
    if (num(i) && ['sma', 'ema', 'wma'].includes(lower(toks[i + 1])) && lower(toks[i + 2]) !== '(') {
      push(toks[i + 1]!, 'word', lower(toks[i + 1])); push(t, 'op', '('); out.push(t); push(t, 'op', ')'); i += 2; continue;
    }
    // "rsi 2" → rsi(2); bare rsi, stoch … → the conventional default, noted
    if (t.kind === 'word' && SINGLE.has(w) && num(i + 1) && lower(toks[i + 2]) !== '%' && lower(out[out.length - 1]) !== '.') {
      push(t, 'word', w); push(t, 'op', '('); out.push(toks[i + 1]!); push(t, 'op', ')');
      const o = DEFAULT_ARGS[w]?.output;
      if (o !== undefined && o !== null && lower(toks[i + 2]) !== '.') { push(t, 'op', '.'); push(t, 'word', o); }
      i += 2; continue;
    }
    const d = DEFAULT_ARGS[w];
    if (t.kind === 'word' && d !== undefined && lower(toks[i + 1]) !== '(' && prevOut !== '.') {
      const explicitOutput = lower(toks[i + 1]) === '.';
      pushCall(out, t, w, d.args, explicitOutput ? null : d.output);
      notes.push(`"${w}" without parameters is read as ${w}(${d.args.join(', ')})${!explicitOutput && d.output !== null ? `.${d.output}` : ''}, the usual default`);
      i++; continue;
    }
    out.push(t);
    i++;
  }
  return out;
}

function pushCall(out: RuleTok[], at: RuleTok, fn: string, args: readonly number[], output: string | null): void {
  out.push(synth(at, 'word', fn), synth(at, 'op', '('));
  args.forEach((a, k) => { if (k > 0) out.push(synth(at, 'op', ',')); out.push(synth(at, 'num', String(a))); });
  out.push(synth(at, 'op', ')'));
  if (output !== null) out.push(synth(at, 'op', '.'), synth(at, 'word', output));
}

function pushBand(out: RuleTok[], at: RuleTok, band: string, notes: string[]): void {
  pushCall(out, at, 'bb', DEFAULT_ARGS.bb!.args, band);
  notes.push(`"${band} band" is read as bb(20, 2).${band}, the usual Bollinger default`);
}

/** Wilder's ATR length when a stop or target names `atr` without one (as `atr` in a condition). */
export const DEFAULT_ATR_PERIOD = 14;

/**
 * `[stop|target] [at|of|is|=] N [x|*|times] atr [(P)]` or `N [x|*|times] atr [(P)] [stop|target]`, the
 * whole statement, → `stop|target N atr ( P )`; null when the statement is not one. Without P the
 * period is 14, said in a note.
 */
function atrRisk(toks: readonly RuleTok[], first: (k: number, options: readonly (readonly string[])[]) => number, notes: string[]): RuleTok[] | null {
  // N [x] atr [(P)] from k: the index after it and the period token (null when none), or null.
  const multiple = (k: number): { end: number; period: RuleTok | null } | null => {
    if (toks[k]?.kind !== 'num') return null;
    let j = k + 1;
    if (['x', '*', 'times'].includes(lower(toks[j]))) j++;
    if (lower(toks[j]) !== 'atr') return null;
    j++;
    if (lower(toks[j]) === '(' && toks[j + 1]?.kind === 'num' && lower(toks[j + 2]) === ')') return { end: j + 3, period: toks[j + 1]! };
    return { end: j, period: null };
  };
  const build = (word: 'stop' | 'target', at: RuleTok, k: number, m: { period: RuleTok | null }): RuleTok[] => {
    const atrTok = toks.find((t) => lower(t) === 'atr')!;
    if (m.period === null) notes.push(`"${toks[k]!.text} atr" ${word} is read as ${toks[k]!.text} × atr(${DEFAULT_ATR_PERIOD}), the usual default`);
    const period = m.period ?? synth(atrTok, 'num', String(DEFAULT_ATR_PERIOD));
    return [synth(at, 'word', word), toks[k]!, synth(atrTok, 'word', 'atr'), synth(atrTok, 'op', '('), period, synth(atrTok, 'op', ')')];
  };
  const s = first(0, STOP_WORDS);
  const t = s === 0 ? first(0, TARGET_WORDS) : 0;
  if (s + t > 0) {
    let k = s + t;
    if (['at', 'of', 'is', '='].includes(lower(toks[k]))) k++;
    const m = multiple(k);
    if (m !== null && m.end === toks.length) return build(s > 0 ? 'stop' : 'target', toks[0]!, k, m);
  }
  const m = multiple(0);
  if (m === null) return null;
  const s2 = first(m.end, STOP_WORDS);
  const t2 = s2 === 0 ? first(m.end, TARGET_WORDS) : 0;
  if (s2 + t2 > 0 && m.end + s2 + t2 === toks.length) return build(s2 > 0 ? 'stop' : 'target', toks[m.end]!, 0, m);
  return null;
}
