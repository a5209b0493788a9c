/**
 * What a download provider gives: pages of bars for one symbol and interval. The providers wrap
 * well-kept libraries (yahoo-finance2 for equities and ETFs, ccxt for crypto exchanges); nothing here
 * speaks HTTP to a provider itself.
 */
import type { Interval } from '../../../core/intervals.ts';

/** One bar as a provider reports it: time in epoch ms (bar start; daily bars at UTC midnight of their date). */
export interface Bar { t: number; o: number; h: number; l: number; c: number; v: number }

export interface Page {
  readonly bars: Bar[];
  /** Where the next page starts (epoch ms), or null when the range is done. */
  readonly next: number | null;
  /** Rows the provider sent that carry no price (Yahoo's null rows), skipped and counted. */
  readonly skipped: number;
}

export interface Provider {
  /** "yahoo" or "ccxt:<exchange>", recorded as each symbol's source. */
  readonly name: string;
  /** The market type symbols downloaded from it get. */
  readonly market: 'equities' | 'crypto';
  /** The provider's own symbol for `symbol` (e.g. BTC/USDT), checked before any download. */
  resolve(symbol: string): Promise<string>;
  /**
   * How far back the provider serves `interval` now (epoch ms of the first bar it can send, and why), or
   * null when it serves the whole history. A start before it is refused before any request.
   */
  window?(interval: Interval): { earliest: number; why: string } | null;
  /** Bars of [since, until) from `since` on; a provider pages at its own limit. */
  page(symbol: string, interval: Interval, since: number, until: number): Promise<Page>;
  close(): Promise<void>;
}

/**
 * Where a provider library sends its requests, for tests and mirrors: every `https://HOST/path` becomes
 * `BASE/HOST/path`, so one local server can stand in for several provider hosts.
 */
export function rewriteUrl(url: string, base: string | undefined): string {
  if (base === undefined) return url;
  return url.replace(/^https?:\/\/([^/]+)/, `${base.replace(/\/+$/, '')}/$1`);
}
