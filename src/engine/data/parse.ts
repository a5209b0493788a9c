/**
 * The bar-file parser: bytes of a CSV/TSV file → validated columns per symbol, plus every problem found.
 * Pure (no I/O). One pass over the bytes into typed arrays (no per-row objects), then per-symbol passes
 * for time order, duplicates and the spike check.
 *
 * Policy (the contract; the universe and the CLI rely on it):
 * - Every bad row is reported with file, line (1-based, header = line 1) and problem. All rows are checked;
 *   nothing stops at the first error and nothing is skipped silently (blank lines are not rows).
 * - Strict (default): bad rows end up in `errors` and are excluded from `series`; the loader refuses a file
 *   (or, for a long file, a symbol) that has errors.
 * - `repair: true`: bad rows, duplicate times (the first occurrence is kept) and suspected bad ticks are
 *   dropped; out-of-order rows are moved into time order. Each such row is listed in `repairs` with its
 *   reason and action — the caller prints them.
 * - `sort: true`: rows are put in time order without any report. This is a per-source declaration for
 *   files documented as unsorted (the bundled BTC files, see data/intraday/SOURCE.txt); sorting never drops
 *   a row, and duplicate times are still errors. User files are never loaded with `sort`.
 * - Time order, duplicates and spikes are judged per symbol. Rows with field errors take no part in the
 *   order and duplicate checks (so a broken row never gets a good one dropped as its duplicate).
 * - The spike check (warning, `suspected_bad_tick`): close[i] differs from close[i−1] by more than `jump`
 *   (20%) AND close[i+1] is back within `revert` (5%) of close[i−1]. A spin-off or a genuine move does not
 *   revert the next bar, so it is not flagged. Rows with an error but a usable close still take part, so
 *   a bad tick that also breaks OHLC consistency (LNT 2016-05-19) is both an error and a warning.
 */
import { UserError } from '../../core/errors.ts';
import { mapHeader, type ColumnNotes } from './columns.ts';
import { acceptedHeaders, sniffDelimiter, type LayoutName } from './formats.ts';
import { EPOCH_MS_THRESHOLD, fieldText, formatTime, isEpochField, parseDecimal, parseIsoTime } from './fields.ts';
import type { IssueCode, RowIssue } from './issues.ts';
import type { Layout } from './formats.ts';
import { formatNumber } from '../../core/format/numbers.ts';

export interface SpikeOptions {
  /** Minimum |close[i]/close[i−1] − 1| of the spike. */
  readonly jump: number;
  /** Maximum |close[i+1]/close[i−1] − 1| for the next bar to count as a reversion. */
  readonly revert: number;
}
export const DEFAULT_SPIKE: SpikeOptions = { jump: 0.2, revert: 0.05 };

export interface ParseOptions {
  /** Symbol of a one-symbol file (long files take it from their Name column). */
  readonly symbol: string;
  /** Declared-unsorted source: sort silently (still error on duplicates). */
  readonly sort?: boolean;
  /** Drop bad rows / sort out-of-order ones, and report each in `repairs`. */
  readonly repair?: boolean;
  /** Spike check thresholds; `false` turns it off. */
  readonly spike?: SpikeOptions | false;
  /** Use Adj Close: open, high, low and close × Adj Close / Close (refused without an Adj Close column). */
  readonly adjusted?: boolean;
}

export type TimeKind = 'iso' | 'epoch_s' | 'epoch_ms' | 'none';

/** Columns of one symbol, ascending unique time (epoch ms). */
export interface SeriesColumns {
  readonly symbol: string;
  readonly time: Float64Array;
  readonly open: Float64Array;
  readonly high: Float64Array;
  readonly low: Float64Array;
  readonly close: Float64Array;
  readonly volume: Float64Array;
}

export interface ParsedFile {
  readonly file: string;
  readonly layout: LayoutName;
  /** Columns ignored, a missing volume, adjusted prices (columns.ts). */
  readonly columns: ColumnNotes;
  readonly timeKind: TimeKind;
  /** Data rows in the file (non-blank lines after the header). */
  readonly rows: number;
  /** In order of first appearance in the file. */
  readonly series: SeriesColumns[];
  /** Strict mode: rows with errors, by line. Empty under `repair`. */
  readonly errors: RowIssue[];
  /** Strict mode: suspected bad ticks (kept). Empty under `repair` (they are dropped). */
  readonly warnings: RowIssue[];
  /** `repair` only: every row dropped or moved, with the reason. */
  readonly repairs: RowIssue[];
  /** Rows moved into time order under `sort` (declared-unsorted sources). */
  readonly sorted: number;
}

const BAD_FIELDS = 1;   // the row has field/consistency errors: never in the output
const DUPLICATE = 2;    // same time as a kept row
const OUT_OF_ORDER = 4;
const SPIKE = 8;

interface Pending { codes: IssueCode[]; msgs: string[] }

/** Parses and validates a whole bar file. Throws `UserError` only for file-level problems (empty, unknown header). */
export function parseBars(input: Uint8Array, file: string, opts: ParseOptions): ParsedFile {
  const buf = input;
  const len = buf.length;
  let pos = 0;
  if (buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) pos = 3;
  let eol = buf.indexOf(10, pos);
  if (eol < 0) eol = len;
  const headerText = fieldText(buf, pos, eol).replace(/\r$/, '');
  if (headerText.trim() === '') {
    throw new UserError(`${file}:1: ${len === 0 ? 'the file is empty' : 'the header line is empty'}; expected one of these headers:\n${acceptedHeaders()}`);
  }
  const delim = sniffDelimiter(headerText);
  const headerFields = delim === undefined ? [headerText] : headerText.split(String.fromCharCode(delim));
  const match = delim === undefined ? undefined : mapHeader(headerFields, opts.adjusted === true);
  if (match?.ok === false && match.adjusted === true) throw new UserError(`${file}:1: ${match.problem}`);
  const layout = match?.ok === true ? match.map : undefined;
  if (layout === undefined || delim === undefined) {
    const why = match?.ok === false ? ` (${match.problem})` : '';
    throw new UserError(`${file}:1: unrecognised header "${headerText.trim()}"${why}.\nColumns are found by name; extra columns are ignored and volume may be missing. Usual headers (case-insensitive; comma-, tab- or semicolon-separated; optionally gzipped):\n${acceptedHeaders()}\nRename the columns or re-export the file in one of these formats.`);
  }
  const names = headerFields.map((h) => h.trim().replace(/^"(.*)"$/, '$1'));
  const roleName = (idx: number): string => names[idx] ?? '?';

  // Capacity: one row per remaining line.
  let cap = 1;
  for (let k = buf.indexOf(10, eol + 1); k !== -1; k = buf.indexOf(10, k + 1)) cap++;

  const time = new Float64Array(cap);
  const cols = [new Float64Array(cap), new Float64Array(cap), new Float64Array(cap), new Float64Array(cap), new Float64Array(cap)] as const;
  const [open, high, low, close, volume] = cols;
  const lines = new Int32Array(cap);
  const symId = new Int32Array(cap);
  const flags = new Uint8Array(cap);
  const pendingOf = new Map<number, Pending>();

  const F = layout.fields;
  const fs = new Int32Array(F);
  const fe = new Int32Array(F);
  const roleIdx = [layout.open, layout.high, layout.low, layout.close, layout.volume];
  const adjIdx = layout.adjClose;

  const symbols: string[] = [];
  const symIndex = new Map<string, number>();
  if (layout.symbol < 0) { symbols.push(opts.symbol); symIndex.set(opts.symbol, 0); }
  let lastSymS = -1;
  let lastSymE = -1;
  let lastSymId = -1;
  const decoder = new TextDecoder();

  let timeKind: TimeKind = 'none';
  let kindLine = 0;

  let n = 0;
  let line = 1;
  let p = eol + 1;
  const problem = (row: number, code: IssueCode, msg: string): void => {
    let pend = pendingOf.get(row);
    if (pend === undefined) { pend = { codes: [], msgs: [] }; pendingOf.set(row, pend); }
    pend.codes.push(code);
    pend.msgs.push(msg);
  };

  while (p < len) {
    line++;
    let end = buf.indexOf(10, p);
    if (end < 0) end = len;
    let lineEnd = end;
    if (lineEnd > p && buf[lineEnd - 1] === 13) lineEnd--;
    let blank = true;
    for (let i = p; i < lineEnd; i++) {
      const c = buf[i];
      if (c !== 32 && c !== 9 && c !== 13) { blank = false; break; }
    }
    if (blank) { p = end + 1; continue; }

    const row = n++;
    lines[row] = line;
    flags[row] = 0;
    symId[row] = 0;

    const f = splitLine(buf, p, lineEnd, delim, F, fs, fe);
    if (f !== F) {
      problem(row, 'field_count', `expected ${F} fields like the header, found ${f}`);
      flags[row] = BAD_FIELDS;
      time[row] = NaN;
      if (layout.symbol >= 0) symId[row] = -1;
      p = end + 1;
      continue;
    }

    // Symbol (long format).
    if (layout.symbol >= 0) {
      const a = fs[layout.symbol] as number;
      const b = fe[layout.symbol] as number;
      if (a === b) {
        problem(row, 'empty_field', `${roleName(layout.symbol)} is empty`);
        symId[row] = -1;
        // A row of no symbol is dropped even when its prices parse: --repair must say so, not "moved".
        flags[row] = BAD_FIELDS;
      } else {
        let same = lastSymId >= 0 && b - a === lastSymE - lastSymS;
        if (same) {
          for (let k = 0; k < b - a; k++) if (buf[a + k] !== buf[lastSymS + k]) { same = false; break; }
        }
        if (!same) {
          const name = decoder.decode(buf.subarray(a, b));
          let id = symIndex.get(name);
          if (id === undefined) { id = symbols.length; symbols.push(name); symIndex.set(name, id); }
          lastSymId = id;
        }
        lastSymS = a;
        lastSymE = b;
        symId[row] = lastSymId;
      }
    }

    if (timeKind === 'none') {
      const a = fs[layout.time] as number;
      const b = fe[layout.time] as number;
      if (a < b) {
        timeKind = isEpochField(buf, a, b) ? (parseDecimal(buf, a, b) >= EPOCH_MS_THRESHOLD ? 'epoch_ms' : 'epoch_s') : 'iso';
        kindLine = line;
      }
    }
    const mode = timeKind === 'epoch_ms' ? 2 : timeKind === 'epoch_s' ? 1 : 0;
    if (!fastRow(buf, fs, fe, layout, mode, row, time, open, high, low, close, volume)) {
      // Cold path: say exactly what is wrong (and store what can be parsed).
      const a = fs[layout.time] as number;
      const b = fe[layout.time] as number;
      let t = NaN;
      if (a === b) {
        problem(row, 'empty_field', `${roleName(layout.time)} is empty`);
      } else if (isEpochField(buf, a, b)) {
        const v = parseDecimal(buf, a, b);
        const kind = v >= EPOCH_MS_THRESHOLD ? 'epoch_ms' : 'epoch_s';
        if (Number.isNaN(v)) {
          problem(row, 'bad_time', `${roleName(layout.time)} "${fieldText(buf, a, b)}" is too large to be a time`);
        } else if (timeKind === 'iso') {
          problem(row, 'bad_time', `${roleName(layout.time)} "${fieldText(buf, a, b)}" is an epoch number, but this file uses ISO dates (decided from line ${kindLine})`);
        } else if (kind !== timeKind) {
          problem(row, 'bad_time', `${roleName(layout.time)} "${fieldText(buf, a, b)}" looks like epoch ${kind === 'epoch_ms' ? 'milliseconds' : 'seconds'}, but this file's times are epoch ${timeKind === 'epoch_ms' ? 'milliseconds' : 'seconds'} (decided from line ${kindLine})`);
        } else {
          t = Math.round(kind === 'epoch_ms' ? v : v * 1000);
        }
      } else {
        t = parseIsoTime(buf, a, b);
        if (Number.isNaN(t)) {
          problem(row, 'bad_time', `${roleName(layout.time)} "${fieldText(buf, a, b)}" is not a valid time (expected YYYY-MM-DD, YYYY-MM-DD HH:MM[:SS] (UTC), ISO 8601 with T/Z/offset, or epoch seconds/milliseconds)`);
        } else if (timeKind !== 'iso') {
          problem(row, 'bad_time', `${roleName(layout.time)} "${fieldText(buf, a, b)}" is an ISO time, but this file uses epoch numbers (decided from line ${kindLine})`);
          t = NaN;
        }
      }
      time[row] = t;

      let allFinite = true;
      for (let r = 0; r < 5; r++) {
        const idx = roleIdx[r] as number;
        if (idx < 0) { cols[r]![row] = NaN; continue; } // no volume column: NaN volume, said in `columns`
        const fa = fs[idx] as number;
        const fb = fe[idx] as number;
        const col = cols[r] as Float64Array;
        if (fa === fb) {
          problem(row, 'empty_field', `${roleName(idx)} is empty`);
          col[row] = NaN;
          allFinite = false;
          continue;
        }
        const v = parseDecimal(buf, fa, fb);
        col[row] = v;
        if (Number.isNaN(v)) {
          problem(row, 'not_a_number', `${roleName(idx)} "${fieldText(buf, fa, fb)}" is not a number`);
          allFinite = false;
        } else if (r < 4 && v <= 0) {
          problem(row, 'non_positive_price', `${roleName(idx)} ${v} is not a positive price`);
        } else if (r === 4 && v < 0) {
          problem(row, 'negative_volume', `${roleName(idx)} ${v} is negative`);
        }
      }
      if (allFinite) {
        const o = open[row] as number;
        const h = high[row] as number;
        const l = low[row] as number;
        const c = close[row] as number;
        if (h < l) {
          problem(row, 'high_below_low', `high ${h} < low ${l}`);
        } else {
          if (o < l || o > h) problem(row, 'open_outside_range', `open ${o} outside [low ${l}, high ${h}]`);
          if (c < l || c > h) problem(row, 'close_outside_range', `close ${c} outside [low ${l}, high ${h}]`);
        }
      }
      if (pendingOf.has(row)) flags[row] = BAD_FIELDS;
    }
    if (adjIdx >= 0 && flags[row] === 0) {
      const a = fs[adjIdx] as number;
      const b = fe[adjIdx] as number;
      const adj = parseDecimal(buf, a, b);
      if (!(adj > 0)) {
        problem(row, a === b ? 'empty_field' : 'not_a_number', `${roleName(adjIdx)} "${fieldText(buf, a, b)}" is not a positive price`);
        flags[row] = BAD_FIELDS;
      } else {
        // One factor for all four prices keeps the bar consistent (rounding is monotone).
        const k = adj / (close[row] as number);
        open[row] = (open[row] as number) * k;
        high[row] = (high[row] as number) * k;
        low[row] = (low[row] as number) * k;
        close[row] = (close[row] as number) * k;
      }
    }
    p = end + 1;
  }

  // ---- per-symbol passes -------------------------------------------------------------------------
  const nSym = symbols.length;
  const counts = new Int32Array(nSym + 1);
  for (let r = 0; r < n; r++) { const id = symId[r] as number; if (id >= 0) counts[id + 1] = (counts[id + 1] as number) + 1; }
  for (let k = 0; k < nSym; k++) counts[k + 1] = (counts[k + 1] as number) + (counts[k] as number);
  const order = new Int32Array(n);
  const fill = counts.slice(0, nSym);
  for (let r = 0; r < n; r++) {
    const id = symId[r] as number;
    if (id >= 0) { const at = fill[id] as number; order[at] = r; fill[id] = at + 1; }
  }

  const repair = opts.repair === true;
  const sortDeclared = opts.sort === true;
  const spike = opts.spike === undefined ? DEFAULT_SPIKE : opts.spike;
  const orderMsgs = new Map<number, string>();
  const spikeMsgs = new Map<number, string>();
  const series: SeriesColumns[] = [];
  let sortedMoves = 0;

  const seqBuf = new Int32Array(n);
  const sortBuf = new Int32Array(n);
  const scratch = new Int32Array(n);
  const closeBuf = new Int32Array(n);
  for (let id = 0; id < nSym; id++) {
    const a = counts[id] as number;
    const b = counts[id + 1] as number;
    // Rows with a valid time, in file order.
    let ns = 0;
    for (let k = a; k < b; k++) {
      const r = order[k] as number;
      if (!Number.isNaN(time[r] as number)) seqBuf[ns++] = r;
    }
    const seq = seqBuf.subarray(0, ns);
    let isSorted = true;
    for (let k = 1; k < ns; k++) {
      if ((time[seq[k] as number] as number) < (time[seq[k - 1] as number] as number)) { isSorted = false; break; }
    }
    let byTime = seq;
    if (!isSorted) {
      byTime = sortBuf.subarray(0, ns);
      byTime.set(seq);
      sortByTime(byTime, scratch, time);
    }

    // Duplicates: among rows without field errors; the first in the file is kept.
    for (let k = 0; k < byTime.length;) {
      const t = time[byTime[k] as number] as number;
      let j = k;
      let keep = -1;
      while (j < byTime.length && time[byTime[j] as number] === t) {
        const r = byTime[j] as number;
        if (((flags[r] as number) & BAD_FIELDS) === 0) {
          if (keep < 0) keep = r;
          else {
            flags[r] = (flags[r] as number) | DUPLICATE;
            orderMsgs.set(r, `duplicate time ${formatTime(t)} (same as line ${lines[keep]})`);
          }
        }
        j++;
      }
      k = j;
    }

    // Out of order: each inversion against the previous clean row, in file order.
    if (!isSorted) {
      let prev = -1;
      for (const r of seq) {
        if (((flags[r] as number) & (BAD_FIELDS | DUPLICATE)) !== 0) continue;
        if (prev >= 0 && (time[r] as number) < (time[prev] as number)) {
          sortedMoves++;
          if (!sortDeclared) {
            flags[r] = (flags[r] as number) | OUT_OF_ORDER;
            orderMsgs.set(r, `time ${formatTime(time[r] as number)} is earlier than line ${lines[prev]} (${formatTime(time[prev] as number)}); rows must be in ascending time order`);
          }
        }
        prev = r;
      }
    }

    // Spike check over rows with a usable close, in time order.
    if (spike !== false) {
      let nc = 0;
      for (const r of byTime) {
        const c = close[r] as number;
        if (((flags[r] as number) & DUPLICATE) === 0 && Number.isFinite(c) && c > 0) closeBuf[nc++] = r;
      }
      const seqC = closeBuf.subarray(0, nc);
      for (let k = 1; k + 1 < nc; k++) {
        const rp = seqC[k - 1] as number;
        const r = seqC[k] as number;
        const rn = seqC[k + 1] as number;
        const cp = close[rp] as number;
        const c = close[r] as number;
        const cn = close[rn] as number;
        const jump = c / cp - 1;
        if (Math.abs(jump) > spike.jump && Math.abs(cn / cp - 1) <= spike.revert) {
          flags[r] = (flags[r] as number) | SPIKE;
          spikeMsgs.set(r, `suspected bad tick: close ${c} is ${formatNumber(jump, 'percent')} from the previous close ${cp} (line ${lines[rp]}), and the next close ${cn} (line ${lines[rn]}) is back within ${Math.round(spike.revert * 100)}%`);
        }
      }
    }

    // Output: time order, without bad rows and duplicates (and, under repair, without spikes).
    const dropMask = BAD_FIELDS | DUPLICATE | (repair ? SPIKE : 0);
    let m = 0;
    for (const r of byTime) if (((flags[r] as number) & dropMask) === 0) m++;
    const out = {
      symbol: symbols[id] as string,
      time: new Float64Array(m), open: new Float64Array(m), high: new Float64Array(m),
      low: new Float64Array(m), close: new Float64Array(m), volume: new Float64Array(m),
    };
    let w = 0;
    for (const r of byTime) {
      if (((flags[r] as number) & dropMask) !== 0) continue;
      out.time[w] = time[r] as number;
      out.open[w] = open[r] as number;
      out.high[w] = high[r] as number;
      out.low[w] = low[r] as number;
      out.close[w] = close[r] as number;
      out.volume[w] = volume[r] as number;
      w++;
    }
    series.push(out);
  }

  // ---- issues ------------------------------------------------------------------------------------
  const errors: RowIssue[] = [];
  const warnings: RowIssue[] = [];
  const repairs: RowIssue[] = [];
  const symOf = (r: number): string => {
    const id = symId[r] as number;
    return id >= 0 ? (symbols[id] as string) : '(no symbol)';
  };
  const issueRows = new Set<number>([...pendingOf.keys(), ...orderMsgs.keys(), ...spikeMsgs.keys()]);
  const sortedRows = [...issueRows].sort((x, y) => x - y);
  for (const r of sortedRows) {
    const pend = pendingOf.get(r);
    const codes: IssueCode[] = pend === undefined ? [] : [...pend.codes];
    const msgs: string[] = pend === undefined ? [] : [...pend.msgs];
    const fl = flags[r] as number;
    const orderMsg = orderMsgs.get(r);
    if (orderMsg !== undefined) { codes.push((fl & DUPLICATE) !== 0 ? 'duplicate_time' : 'out_of_order'); msgs.push(orderMsg); }
    const spikeMsg = spikeMsgs.get(r);
    const base = { file, line: lines[r] as number, symbol: symOf(r) };
    if (repair) {
      if (spikeMsg !== undefined) { codes.push('suspected_bad_tick'); msgs.push(spikeMsg); }
      const onlyReorder = (fl & (BAD_FIELDS | DUPLICATE | SPIKE)) === 0;
      const severity = codes.some((c) => c !== 'suspected_bad_tick') ? 'error' : 'warning';
      repairs.push({ ...base, severity, code: codes[0] as IssueCode, codes, message: msgs.join('; '), action: onlyReorder ? 'reordered' : 'dropped' });
    } else {
      if (codes.length > 0) errors.push({ ...base, severity: 'error', code: codes[0] as IssueCode, codes, message: msgs.join('; ') });
      if (spikeMsg !== undefined) warnings.push({ ...base, severity: 'warning', code: 'suspected_bad_tick', codes: ['suspected_bad_tick'], message: spikeMsg });
    }
  }

  return {
    file, layout: layout.name, columns: layout.notes, timeKind, rows: n, series,
    errors, warnings, repairs,
    sorted: sortDeclared ? sortedMoves : 0,
  };
}

/** Splits [p, e) at `delim` into at most F trimmed fields (spaces, tabs, one pair of quotes); returns the field count. */
function splitLine(buf: Uint8Array, p: number, e: number, delim: number, F: number, fs: Int32Array, fe: Int32Array): number {
  let f = 0;
  let s = p;
  for (let i = p; i <= e; i++) {
    if (i === e || buf[i] === delim) {
      if (f < F) {
        let a = s;
        let b = i;
        if (b > a && (buf[a] === 32 || buf[a] === 9 || buf[a] === 34 || buf[b - 1] === 32 || buf[b - 1] === 9 || buf[b - 1] === 34)) {
          while (a < b && (buf[a] === 32 || buf[a] === 9)) a++;
          while (b > a && (buf[b - 1] === 32 || buf[b - 1] === 9)) b--;
          if (b - a >= 2 && buf[a] === 34 && buf[b - 1] === 34) { a++; b--; }
        }
        fs[f] = a;
        fe[f] = b;
      }
      f++;
      s = i + 1;
    }
  }
  return f;
}

/**
 * Hot path: parses a clean row straight into the columns and returns true; returns false (columns
 * unspecified) as soon as anything is off, and the caller's cold path then diagnoses the row.
 * `mode`: 0 ISO, 1 epoch seconds, 2 epoch milliseconds.
 */
function fastRow(
  buf: Uint8Array, fs: Int32Array, fe: Int32Array, L: Layout, mode: number, row: number,
  time: Float64Array, open: Float64Array, high: Float64Array, low: Float64Array, close: Float64Array, volume: Float64Array,
): boolean {
  const ta = fs[L.time] as number;
  const tb = fe[L.time] as number;
  let t: number;
  if (mode === 0) {
    t = parseIsoTime(buf, ta, tb);
  } else {
    if (!isEpochField(buf, ta, tb)) return false;
    const v = parseDecimal(buf, ta, tb);
    if (mode === 2 ? !(v >= EPOCH_MS_THRESHOLD) : !(v < EPOCH_MS_THRESHOLD)) return false;
    t = Math.round(mode === 2 ? v : v * 1000);
  }
  if (t !== t) return false;
  const o = parseDecimal(buf, fs[L.open] as number, fe[L.open] as number);
  const h = parseDecimal(buf, fs[L.high] as number, fe[L.high] as number);
  const l = parseDecimal(buf, fs[L.low] as number, fe[L.low] as number);
  const c = parseDecimal(buf, fs[L.close] as number, fe[L.close] as number);
  const vi = L.volume;
  const v = vi < 0 ? NaN : parseDecimal(buf, fs[vi] as number, fe[vi] as number);
  // NaN fails every comparison, so this also rejects empty and non-numeric fields.
  if (!(l > 0 && h >= l && o >= l && o <= h && c >= l && c <= h && (v >= 0 || vi < 0))) return false;
  time[row] = t;
  open[row] = o;
  high[row] = h;
  low[row] = l;
  close[row] = c;
  volume[row] = v;
  return true;
}

/** Stable merge sort of row indices by `time` (ties keep file order). `tmp` has at least idx.length slots. */
function sortByTime(idx: Int32Array, tmp: Int32Array, time: Float64Array): void {
  const n = idx.length;
  let src = idx;
  let dst = tmp.subarray(0, n);
  for (let width = 1; width < n; width *= 2) {
    for (let lo = 0; lo < n; lo += 2 * width) {
      const mid = Math.min(lo + width, n);
      const hi = Math.min(lo + 2 * width, n);
      let i = lo;
      let j = mid;
      let k = lo;
      while (i < mid && j < hi) {
        const a = src[i] as number;
        const b = src[j] as number;
        if ((time[b] as number) < (time[a] as number)) { dst[k++] = b; j++; } else { dst[k++] = a; i++; }
      }
      while (i < mid) dst[k++] = src[i++] as number;
      while (j < hi) dst[k++] = src[j++] as number;
    }
    const t = src;
    src = dst;
    dst = t;
  }
  if (src !== idx) idx.set(src);
}
