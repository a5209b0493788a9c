/**
 * What a research session may download (engine/data/download/research.ts): the universe names each
 * symbol's source as `data download` wrote it; the bundled data and imported files download nothing; Yahoo
 * serves 4h as 1h; a replay sees the universe without the series the session downloaded, until the
 * download is replayed from its record.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ResearchDownloads } from '../../src/engine/data/download/research.ts';
import { loadBundledUniverse, loadUniverseDir } from '../../src/engine/data/universe.ts';
import { recordedDownloads } from '../../src/commands/research-replay.ts';
import { UserError } from '../../src/core/errors.ts';
import { IntervalSchema } from '../../src/core/intervals.ts';
import type { LedgerEntry } from '../../src/core/ledger/schema.ts';

const dir = mkdtempSync(join(tmpdir(), 'gauntlet-dl-research-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const rows = (n: number, stepMs: number): string => ['time,open,high,low,close,volume',
  ...Array.from({ length: n }, (_, i) => `${new Date(Date.UTC(2024, 0, 1) + i * stepMs).toISOString().slice(0, 19)}Z,10,11,9,10.5,100`)].join('\n');
writeFileSync(join(dir, 'AAPL_1d.csv'), rows(5, 86_400_000));
writeFileSync(join(dir, 'AAPL_1h.csv'), rows(30, 3_600_000));
writeFileSync(join(dir, 'MSFT_1d.csv'), rows(5, 86_400_000));
writeFileSync(join(dir, 'KO.csv'), rows(5, 86_400_000));
writeFileSync(join(dir, 'BTC-USDT_4h.csv'), rows(12, 4 * 3_600_000));
writeFileSync(join(dir, 'universe.json'), JSON.stringify({
  schema: 'gauntlet/universe@1',
  symbols: {
    AAPL: { sector: 'Information Technology', files: { '1d': 'AAPL_1d.csv', '1h': 'AAPL_1h.csv' }, source: 'yahoo AAPL' },
    MSFT: { sector: 'Information Technology', files: { '1d': 'MSFT_1d.csv' }, source: 'yahoo MSFT' },
    KO: { sector: 'Consumer Staples', source: '/home/me/exports/KO.csv' },
    'BTC-USDT': { sector: 'Crypto', market_type: 'crypto', files: { '4h': 'BTC-USDT_4h.csv' }, source: 'ccxt:binance BTC/USDT' },
  },
}));

describe('ResearchDownloads.offer', () => {
  const d = new ResearchDownloads({ universe: loadUniverseDir(dir, { cacheDir: null }), live: true });
  it('names the source the universe recorded and what it fetches (Yahoo has no 4h: 1h)', () => {
    expect(d.downloads()).toBe(true);
    expect(d.offer(['MSFT'], '1h')).toEqual({ ok: true, source: 'yahoo', fetch: '1h' });
    expect(d.offer(['MSFT'], '4h')).toEqual({ ok: true, source: 'yahoo', fetch: '1h' });
    expect(d.offer(['BTC-USDT'], '1h')).toEqual({ ok: true, source: 'ccxt:binance', fetch: '1h' });
  });
  it('refuses imported files, mixed sources, an interval Yahoo does not serve, and the bundled data, saying why', () => {
    expect(d.offer(['MSFT', 'KO'], '1h')).toEqual({ ok: false, why: 'KO\'s bars were not downloaded but imported from files: bring its 1h bars with \'gauntlet data import\'' });
    expect(d.offer(['MSFT', 'BTC-USDT'], '1h')).toEqual({ ok: false, why: 'MSFT BTC-USDT come from several sources (yahoo, ccxt:binance); download them with \'gauntlet data download\'' });
    expect(d.offer(['MSFT'], '10m')).toEqual({ ok: false, why: 'Yahoo Finance serves no 10m bars, nor any that resample to them' });
    const bundled = new ResearchDownloads({ universe: loadBundledUniverse(undefined, { cacheDir: null }), live: true });
    expect(bundled.downloads()).toBe(false);
    expect(bundled.offer(['AAPL'], '1h')).toEqual({ ok: false, why: 'the bundled data is read-only; download into your own universe (gauntlet data download … --out DIR) and research with --universe DIR' });
  });
});

describe('a replay sees the universe its session saw', () => {
  it('the series the session downloaded are hidden until their record is replayed, after checking the file', async () => {
    const { createHash } = await import('node:crypto');
    const { readFileSync } = await import('node:fs');
    const sha256 = createHash('sha256').update(readFileSync(join(dir, 'AAPL_1h.csv'))).digest('hex');
    const series = [{ symbol: 'AAPL', file: 'AAPL_1h.csv', fetched: 30, bars: 30, first: null, last: null, sha256 }];
    const recorded = [{ status: 'done' as const, wanted: '1h' as const, source: 'yahoo', interval: '1h' as const, symbols: ['AAPL'], from: 'a', to: 'b', series }];
    const d = new ResearchDownloads({ universe: loadUniverseDir(dir, { cacheDir: null }), live: false, recorded });
    expect(d.universe().info('AAPL').intervals).toEqual(['1d']);
    expect(d.universe().info('KO').intervals).toEqual(['1d']);
    const got = await d.download({ symbols: ['AAPL'], interval: '1h', source: 'yahoo' });
    expect(got).toEqual({ source: 'yahoo', interval: '1h', from: 'a', to: 'b', series, ok: true });
    expect(d.universe().info('AAPL').intervals).toEqual(['1h', '4h', '1d']);
    // Nothing more was recorded: a replay never fetches.
    expect(await d.download({ symbols: ['MSFT'], interval: '1h', source: 'yahoo' })).toMatchObject({ ok: false, reason: 'a replay never downloads, and the session recorded no such download' });
    // A file that changed since is not taken for the one the session downloaded.
    const changed = new ResearchDownloads({ universe: loadUniverseDir(dir, { cacheDir: null }), live: false, recorded: [{ ...recorded[0]!, series: [{ ...series[0]!, sha256: '0'.repeat(64) }] }] });
    expect(await changed.download({ symbols: ['AAPL'], interval: '1h', source: 'yahoo' })).toMatchObject({ ok: false, reason: `${join(dir, 'AAPL_1h.csv')} is not the file this session downloaded (its sha256 differs, or it is gone); the universe changed since` });
    expect(changed.universe().info('AAPL').intervals).toEqual(['1d']);
  });
});

describe('the data:download records a replay reads back', () => {
  const entry = (seq: number, payload: unknown): LedgerEntry => ({ seq, session: 's1-1', action: 'data:download', payload }) as unknown as LedgerEntry;
  const record = { status: 'done', wanted: '4h', symbols: ['AAPL'], source: 'yahoo', interval: '1h', from: 'a', to: 'b', series: [] };

  it('are the session\'s own, in ledger order, as written', () => {
    const other = { ...entry(2, record), session: 's2-1' } as LedgerEntry;
    const failed = { ...record, status: 'failed', reason: 'no network: use data import' };
    expect(recordedDownloads([entry(1, record), other, entry(3, failed)], 's1-1')).toEqual([record, failed]);
  });

  it('a payload this build cannot read is refused, naming the ledger entry and the field', () => {
    let caught: unknown;
    try { recordedDownloads([entry(7, { ...record, interval: '2h' })], 's1-1'); } catch (e) { caught = e; }
    expect(caught).toBeInstanceOf(UserError);
    expect((caught as UserError).message).toBe(`ledger entry #7 (data:download of session s1-1): payload.interval: ${IntervalSchema.safeParse('2h').error!.issues[0]!.message}; this build cannot replay that download`);
    expect((caught as UserError).exitCode).toBe(3);
  });
});
