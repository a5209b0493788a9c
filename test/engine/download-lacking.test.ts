/** The hook a "Download data (if req)" proposal can use: which symbols lack an interval. */
import { describe, expect, it } from 'vitest';
import { lacking } from '../../src/engine/data/download/index.ts';
import { loadBundledUniverse } from '../../src/engine/data/universe.ts';

describe('lacking', () => {
  const u = loadBundledUniverse();
  it('names the symbols with no data at the interval, natively or by resampling', () => {
    // AAPL has 1m bars (and so 5m … 1d); KO has only 1d; ZZZZ is not in the universe.
    expect(lacking(u, ['AAPL', 'KO', 'ZZZZ'], '5m')).toEqual(['KO', 'ZZZZ']);
    expect(lacking(u, ['AAPL', 'KO'], '1d')).toEqual([]);
  });
});
