/**
 * "Download data (if req)": the research loop asks for bars the universe lacks when the Director wants
 * the next rung of the interval ladder (docs/director.md). The universe is made by `data download` from
 * a fake Binance on 127.0.0.1 (test/support/fake-market-server.ts) at 4h only; a momentum idea with short
 * holding tries 4h, then 1h — which the universe lacks, so the Director proposes to download it from
 * the source the universe names (ccxt:binance), for 0 credits. Approved, the bars come from the fake
 * server and the session tests on them; vetoed, nothing is fetched; offline, the download fails
 * cleanly, nothing is charged, and the session goes on. A replay reproduces the session without network.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ResearchEvent } from '../../src/core/research/events.ts';
import type { Bars } from '../../src/engine/data/bars.ts';
import { loadBundledUniverse } from '../../src/engine/data/universe.ts';
import { recentBars, startFakeMarket, type FakeMarket } from '../support/fake-market-server.ts';
import { closedPortUrl } from '../support/fake-ollama.ts';
import { inproc, parseEvents, readStoreFile, researchWith, storeProblems, summaryOf, workspace, ROOT } from './helpers.ts';
import { Budget } from '../../src/core/budget/budget.ts';
import { runResearch } from '../../src/core/research/loop.ts';
import type { ApprovalDecision } from '../../src/core/research/ports.ts';
import { openStore } from '../../src/core/store/store.ts';
import { bufferIo } from '../../src/commands/io.ts';
import { openUniverse } from '../../src/commands/data-source.ts';
import { researchDeps } from '../../src/commands/research-wiring.ts';
import { prepareResume } from '../../src/commands/resume.ts';
import { rulesAgents } from '../../src/commands/agents-wiring.ts';

const ws = workspace('download-proposal');
let market: FakeMarket;
let btc1h: Bars;
let eth1h: Bars;
afterAll(async () => { await market?.close(); ws.cleanup(); });

beforeAll(async () => {
  // Two real, different series stand in for two Binance markets: Bitstamp's and another exchange's BTC/USD.
  // Both over the same dates (the starter screen draws symbols with a comparable visible span).
  const u = loadBundledUniverse(undefined, { env: ws.env });
  const span = { from: '2016-02-10', to: '2016-04-18' };
  btc1h = u.loadBars('BTCUSD', '1h', span).bars;
  eth1h = u.loadBars('BTCUSD_BITSTAMP', '1h', span).bars;
  market = await startFakeMarket({
    binance: {
      BTCUSDT: { base: 'BTC', quote: 'USDT', bars: btc1h, byInterval: { '1h': btc1h, '4h': u.loadBars('BTCUSD', '4h', span).bars } },
      ETHUSDT: { base: 'ETH', quote: 'USDT', bars: eth1h, byInterval: { '1h': eth1h, '4h': u.loadBars('BTCUSD_BITSTAMP', '4h', span).bars } },
    },
  });
  // The universe, as a user makes it: `data download` at 4h only (it records each symbol's source).
  const made = await inproc(['data', 'download', '--provider', 'ccxt', '--exchange', 'binance', '--symbols', 'BTC/USDT,ETH/USDT', '--interval', '4h',
    '--from', '2016-01-01', '--to', '2016-05-01', '--out', join(ws.dir, 'crypto')], env(market.url));
  expect(made.code, made.stderr).toBe(0);
  const spec = JSON.parse(readFileSync(join(ROOT, 'specs', 'roc-atr-momentum.json'), 'utf8')) as { meta: Record<string, string> };
  spec.meta = { ...spec.meta, holding_period: 'short', market_type: 'crypto' };
  writeFileSync(join(ws.dir, 'momentum.json'), JSON.stringify(spec));
}, 120_000);

function env(base: string): Record<string, string> {
  return { ...ws.env, GAUNTLET_DOWNLOAD_BASE_URL: base };
}

/** A fresh copy of the 4h universe for one session (a download changes its directory). */
async function universeCopy(name: string): Promise<string> {
  const { cpSync } = await import('node:fs');
  const dir = join(ws.dir, name);
  cpSync(join(ws.dir, 'crypto'), dir, { recursive: true });
  return dir;
}

type Offered = { id: string; action: string; cost: number; detail: Record<string, unknown> };
const proposals = (events: ResearchEvent[]): Offered[] => events.filter((e) => e.event === 'proposal').map((e) => (e as unknown as { proposal: Offered }).proposal);
const runIntervals = (events: ResearchEvent[]): string[] => [...new Set(events.filter((e) => e.event === 'run').map((e) => (e as { key: { interval: string } }).key.interval))];
const sessionOf = (events: ResearchEvent[]): string => (events.find((e) => e.event === 'session') as { session: string }).session;
const WANTED = { from: '4h', interval: '1h', fetch: '1h', symbols: ['BTC-USDT', 'ETH-USDT'], source: 'ccxt:binance' };

describe('the research loop downloads the bars of the interval it wants', () => {
  it('approved: proposed for 0 credits, fetched from the source the universe names, recorded, tested on; the replay needs no network', async () => {
    const dir = await universeCopy('approved');
    const db = join(ws.dir, 'db-approved');
    const before = market.log.length;
    const r = await inproc(['research', join(ws.dir, 'momentum.json'), '--universe', dir, '--approve', 'all', '--budget', '40', '--offline', '--db', db, '--json'], env(market.url));
    expect(r.code, r.stderr).toBe(0);
    const events = parseEvents(r.stdout);
    const offered = proposals(events);
    const dl = offered.filter((p) => p.action === 'download');
    // 1h, then (once tested there) the next rung, 15m, which this fake Binance has no bars of: that one fails.
    expect(dl.map((p) => p.id)).toEqual(['download:4h->1h', 'download:1h->15m']);
    expect(dl[0]).toMatchObject({ cost: 0, detail: WANTED });
    // Tested at 4h before, at 1h after: the next step is the move to the new bars.
    const after = offered.slice(offered.indexOf(dl[0]!) + 1);
    expect(after[0]).toMatchObject({ action: 'add_interval', id: 'add_interval:4h->1h' });
    expect(runIntervals(events)).toEqual(['4h', '1h']);
    // Requested from the fake Binance at 1h, from the first 4h bar the universe held.
    const asked = market.log.slice(before).filter((e) => e.path === '/api/v3/klines' && e.query.get('interval') === '1h');
    expect(new Set(asked.map((e) => e.query.get('symbol')))).toEqual(new Set(['BTCUSDT', 'ETHUSDT']));
    expect(Math.min(...asked.map((e) => Number(e.query.get('startTime'))))).toBe(Date.parse('2016-02-10T00:00:00Z'));

    // The files hold exactly the served bars; the ledger records what came from where, with 0 credits spent on it.
    const data = readStoreFile(db)!;
    expect(storeProblems(data)).toEqual([]);
    const spend = data.ledger.find((e) => e.kind === 'spend' && e.action === 'download')!;
    expect(spend.cost).toBe(0);
    expect(data.ledger.filter((e) => e.kind === 'spend' && e.action === 'download').map((e) => e.cost)).toEqual([0, 0]);
    const [rec, rec15] = data.ledger.filter((e) => e.action === 'data:download');
    expect(rec15!.payload).toMatchObject({ status: 'failed', interval: '15m', reason: 'ccxt:binance has no 15m bars of BTC-USDT between 2016-02-10 and ' + new Date().toISOString().slice(0, 10) + '; nothing was added', series: [] });
    const p = rec!.payload as { status: string; source: string; interval: string; wanted: string; series: Array<{ symbol: string; file: string; fetched: number; bars: number; sha256: string; first: string; last: string }> };
    expect(p).toMatchObject({ status: 'done', source: 'ccxt:binance', interval: '1h', wanted: '1h' });
    // From the first 4h bar the universe held (2016-02-10, before every served 1h bar): every served bar, once.
    expect(p.series.map((x) => x.symbol)).toEqual(['BTC-USDT', 'ETH-USDT']);
    for (const [symbol, bars] of [['BTC-USDT', btc1h], ['ETH-USDT', eth1h]] as const) {
      const s = p.series.find((x) => x.symbol === symbol)!;
      const file = join(dir, s.file);
      expect(s.sha256).toBe(createHash('sha256').update(readFileSync(file)).digest('hex'));
      const rows = readFileSync(file, 'utf8').trimEnd().split('\n').slice(1);
      expect(rows).toEqual([...bars.time].map((t, i) => `${new Date(t).toISOString().slice(0, 19)}Z,${bars.open[i]},${bars.high[i]},${bars.low[i]},${bars.close[i]},${bars.volume[i]}`));
      expect([s.fetched, s.bars]).toEqual([bars.time.length, bars.time.length]);
    }
    const universe = JSON.parse(readFileSync(join(dir, 'universe.json'), 'utf8')) as { symbols: Record<string, { files: Record<string, string> }> };
    expect(universe.symbols['BTC-USDT']!.files).toEqual({ '4h': 'BTC-USDT_4h.csv', '1h': 'BTC-USDT_1h.csv' });

    // Replay: byte for byte, with the provider unreachable (the session's downloads come from its record).
    const session = sessionOf(events);
    const replay = await inproc(['research', '--replay', session, '--db', db, '--json'], env(await closedPortUrl()));
    expect(replay.code, replay.stdout + replay.stderr).toBe(0);
    expect(JSON.parse(replay.stdout)).toMatchObject({ identical: true });

    // A downloaded file changed since: the replay says so (its sha256 no longer matches) and is not identical.
    const file = join(dir, 'ETH-USDT_1h.csv');
    const kept = readFileSync(file, 'utf8');
    writeFileSync(file, kept.replace(/\n([^,\n]+),([^,\n]+),/, '\n$1,$2.5,'));
    const changed = await inproc(['research', '--replay', session, '--db', db, '--json'], env(await closedPortUrl()));
    expect(changed.code).toBe(1);
    expect(JSON.parse(changed.stdout)).toMatchObject({ identical: false });
    writeFileSync(file, kept);
  }, 180_000);

  it('yahoo: a daily universe wants 4h, which Yahoo serves as 1h from its last 730 days; the session moves to 4h, then 1h', async () => {
    // The bundled 2016 1h bars of AAPL and MSFT, moved forward by whole weeks to end at least two days ago.
    const u = loadBundledUniverse(undefined, { env: ws.env });
    const hourly = { AAPL: recentBars(u.loadBars('AAPL', '1h').bars), MSFT: recentBars(u.loadBars('MSFT', '1h').bars) };
    const span = { from: '2017-09-01', to: '2017-12-29' };
    const yahoo = await startFakeMarket({ yahoo: { AAPL: u.loadBars('AAPL', '1d', span).bars, MSFT: u.loadBars('MSFT', '1d', span).bars }, yahooByInterval: { '1h': hourly } });
    try {
      const dir = join(ws.dir, 'stocks');
      const made = await inproc(['data', 'download', '--provider', 'yahoo', '--symbols', 'AAPL,MSFT', '--from', '2017-09-01', '--to', '2018-01-01', '--out', dir], env(yahoo.url));
      expect(made.code, made.stderr).toBe(0);
      const spec = JSON.parse(readFileSync(join(ROOT, 'specs', 'roc-atr-momentum.json'), 'utf8')) as { meta: Record<string, string> };
      writeFileSync(join(ws.dir, 'medium.json'), JSON.stringify(spec)); // momentum, medium holding, equities: 1d, then 4h, then 1h
      const db = join(ws.dir, 'db-yahoo');
      const r = await inproc(['research', join(ws.dir, 'medium.json'), '--universe', dir, '--approve', 'all', '--budget', '40', '--offline', '--db', db, '--json'], env(yahoo.url));
      expect(r.code, r.stderr).toBe(0);
      const events = parseEvents(r.stdout);
      expect(proposals(events).find((p) => p.action === 'download')).toMatchObject({
        id: 'download:1d->4h', cost: 0, detail: { from: '1d', interval: '4h', fetch: '1h', symbols: ['MSFT', 'AAPL'], source: 'yahoo' },
      });
      // 4h (resampled from the 1h bars), then 1h itself: both came with the one download.
      expect(runIntervals(events)).toEqual(['1d', '4h', '1h']);
      expect(proposals(events).filter((p) => p.action === 'download')).toHaveLength(1);
      // Asked at 1h, from the first day Yahoo serves 1h (730 days back, to a midnight, plus a day), never further back.
      const asked = yahoo.log.filter((e) => e.path.startsWith('/v8/finance/chart/') && e.query.get('interval') === '1h');
      expect(asked.map((e) => e.path.split('/').at(-1))).toEqual(['MSFT', 'AAPL']);
      const DAY = 86_400_000;
      const first = Math.ceil((Date.now() - 730 * DAY) / DAY) * DAY + DAY;
      expect(asked.every((e) => Math.abs(Number(e.query.get('period1')) * 1000 - first) <= DAY)).toBe(true);
      const rec = readStoreFile(db)!.ledger.find((e) => e.action === 'data:download')!.payload as { series: Array<{ symbol: string; bars: number }> };
      expect(rec.series.map((x) => [x.symbol, x.bars])).toEqual([['MSFT', hourly.MSFT.time.length], ['AAPL', hourly.AAPL.time.length]]);
    } finally {
      await yahoo.close();
    }
  }, 180_000);

  it('suspended after the download and resumed: the download is answered from the record, never fetched again', async () => {
    const dir = await universeCopy('resumed');
    const io = bufferIo(env(market.url), ROOT);
    const store = await openStore(join(ws.dir, 'db-resumed'));
    try {
      // Approves everything, and quits at the move to 1h (the proposal after the download).
      const asked: string[] = [];
      const quitter = { decide: async (p: { id: string }): Promise<ApprovalDecision> => { asked.push(p.id); return p.id === 'add_interval:4h->1h' ? { decision: 'suspend' } : { decision: 'approve' }; } };
      const deps = researchDeps({ universe: openUniverse(io, dir), store, approver: quitter, seed: 1, budget: new Budget({ credits: 40 }), mode: 'interactive', io, provenance: { agents: 'rules', universe: dir } });
      const first: ResearchEvent[] = [];
      for await (const e of runResearch(readFileSync(join(ws.dir, 'momentum.json'), 'utf8'), deps)) first.push(e);
      expect(first.at(-1)!.event).toBe('suspended');
      expect(asked).toEqual(['initial:BTC-USDT@4h', 'add_symbol:ETH-USDT@4h', 'download:4h->1h', 'add_interval:4h->1h']);
      const fetched = market.log.filter((e) => e.path === '/api/v3/klines' && e.query.get('interval') === '1h').length;

      const r = await prepareResume(store, sessionOf(first), { io, approver: { decide: async () => ({ decision: 'approve' }) }, agents: rulesAgents() });
      const rest: ResearchEvent[] = [];
      try {
        for await (const e of runResearch(r.idea, r.deps)) rest.push(e);
      } finally {
        await r.dispose();
      }
      expect(market.log.filter((e) => e.path === '/api/v3/klines' && e.query.get('interval') === '1h').length).toBe(fetched);
      expect(runIntervals(rest)).toContain('1h');
      expect(['DEAD', 'FROZEN']).toContain(summaryOf(rest).status);
    } finally {
      await store.close();
    }
  }, 180_000);

  it('vetoed: nothing is fetched or written, and the Director moves on', async () => {
    const dir = await universeCopy('vetoed');
    const before = market.log.length;
    const events = await researchWith(readFileSync(join(ws.dir, 'momentum.json'), 'utf8'), {
      env: env(market.url), universe: dir, db: join(ws.dir, 'db-vetoed'),
      approver: { decide: async (p) => (p.action === 'download' ? { decision: 'veto', note: 'no network here' } : { decision: 'approve' }) },
    });
    const offered = proposals(events);
    expect(offered.filter((p) => p.action === 'download').map((p) => p.id)).toEqual(['download:4h->1h']);
    expect(events.some((e) => e.event === 'decision' && e.proposal_id === 'download:4h->1h' && e.decision === 'vetoed')).toBe(true);
    expect(market.log.length).toBe(before);
    expect(existsSync(join(dir, 'BTC-USDT_1h.csv'))).toBe(false);
    expect(runIntervals(events)).not.toContain('1h');
    expect(readStoreFile(join(ws.dir, 'db-vetoed'))!.ledger.some((e) => e.action === 'data:download')).toBe(false);
  }, 180_000);

  it('offline: the download fails cleanly — said, recorded, 0 credits — and the session goes on without 1h', async () => {
    const dir = await universeCopy('offline');
    const db = join(ws.dir, 'db-offline');
    const r = await inproc(['research', join(ws.dir, 'momentum.json'), '--universe', dir, '--approve', 'all', '--budget', '40', '--offline', '--db', db, '--json'], env(await closedPortUrl()));
    expect(r.code, r.stderr).toBe(0);
    const events = parseEvents(r.stdout);
    const reason = 'no network: use data import. binance cannot be reached (ECONNREFUSED); downloading needs network, while \'gauntlet data import FILES --out DIR\' works offline on files you have';
    expect(events.filter((e) => e.event === 'note' && e.text.startsWith('download failed')).map((e) => (e as { text: string }).text))
      .toEqual([`download failed, nothing was charged: ${reason}; the research goes on without 1h bars`]);
    const data = readStoreFile(db)!;
    expect(data.ledger.find((e) => e.action === 'data:download')!.payload).toMatchObject({ status: 'failed', reason, series: [] });
    expect(data.ledger.filter((e) => e.kind === 'spend' && e.action === 'download').map((e) => e.cost)).toEqual([0]);
    // Not offered again; the session went on (the next rung it can load) and ended normally.
    expect(proposals(events).filter((p) => p.action === 'download')).toHaveLength(1);
    expect(runIntervals(events)).not.toContain('1h');
    expect(existsSync(join(dir, 'BTC-USDT_1h.csv'))).toBe(false);
    expect(['DEAD', 'FROZEN']).toContain(summaryOf(events).status);
    const replay = await inproc(['research', '--replay', sessionOf(events), '--db', db, '--json'], env(market.url));
    expect(replay.code, replay.stdout + replay.stderr).toBe(0);
    expect(JSON.parse(replay.stdout)).toMatchObject({ identical: true });
  }, 180_000);
});
