/** The console's one-line proposal text (inbox, Director pane, history): a download says what and from where. */
import { describe, expect, it } from 'vitest';
import { proposalText } from '../../src/ui/state/history.ts';

describe('proposalText', () => {
  it('a download names the symbols, the interval wanted, the source and, when they differ, the bars fetched', () => {
    expect(proposalText({ action: 'download', detail: { from: '4h', interval: '1h', fetch: '1h', symbols: ['BTC-USDT', 'ETH-USDT'], source: 'ccxt:binance' } }))
      .toBe('download BTC-USDT ETH-USDT 1h from ccxt:binance');
    expect(proposalText({ action: 'download', detail: { from: '1d', interval: '4h', fetch: '1h', symbols: ['AAPL'], source: 'yahoo' } }))
      .toBe('download AAPL 4h from yahoo (1h bars)');
    expect(proposalText({ action: 'add_interval', detail: { from: '4h', interval: '1h', direction: 'down', symbols: ['AAPL'] } })).toBe('add_interval AAPL 1h');
  });
});
