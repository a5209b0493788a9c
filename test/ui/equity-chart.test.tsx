import { describe, expect, it } from 'vitest';
import { render } from 'ink-testing-library';
import { chartRows, downsample, finiteRange, levels } from '../../src/ui/components/chart-math.ts';
import { formatNumber } from '../../src/core/format/numbers.ts';
import { colorAllowed, EquityChart } from '../../src/ui/components/equity-chart.tsx';

const arr = (v: ArrayLike<number>): number[] => Array.from(v);
const ESC = '\u001b';

describe('chart math (hand-computed)', () => {
  it('downsample keeps the last value of each bucket', () => {
    // 10 values into 5 buckets of 2: [1,2][3,4][5,6][7,8][9,10]
    expect(arr(downsample([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 5))).toEqual([2, 4, 6, 8, 10]);
    // 10 into 3: floor(c·10/3) bounds 0,3,6,10 → [1..3][4..6][7..10]
    expect(arr(downsample([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 3))).toEqual([3, 6, 10]);
  });

  it('downsample never widens a short series and handles width 0', () => {
    expect(arr(downsample([5, 6], 10))).toEqual([5, 6]);
    expect(arr(downsample([5, 6], 0))).toEqual([]);
    expect(arr(downsample([], 10))).toEqual([]);
  });

  it('NaN warm-up stays blank; a trailing NaN falls back to the last finite value in its bucket', () => {
    expect(arr(downsample([NaN, NaN, NaN, 4, 5, 6], 3))).toEqual([NaN, 4, 6]);
    expect(arr(downsample([1, NaN], 1))).toEqual([1]);
  });

  it('finiteRange ignores NaN and ±Infinity', () => {
    expect(finiteRange([NaN, 3, -2, Infinity, 7])).toEqual({ min: -2, max: 7 });
    expect(finiteRange([NaN, NaN])).toBeNull();
  });

  it('levels in eighths at height 1: 1+round((v−min)/span·7)', () => {
    // (0,1.75,3.5,5.25,7) → round → (0,2,4,5,7) → +1
    expect(arr(levels([1, 2, 3, 4, 5], 1))).toEqual([1, 3, 5, 6, 8]);
  });

  it('rows at height 2 split the eighths between the two cells', () => {
    // 1+round((v−1)/4·15): 1, 1+round(3.75)=5, 1+round(7.5)=9, 1+round(11.25)=12, 16
    const lv = levels([1, 2, 3, 4, 5], 2);
    expect(arr(lv)).toEqual([1, 5, 9, 12, 16]);
    expect(chartRows(lv, 2)).toEqual(['  ▁▄█', '▁▅███']);
  });

  it('a flat series and a single value sit at half height; NaN columns are blank', () => {
    expect(arr(levels([3, 3, 3], 2))).toEqual([8, 8, 8]);
    expect(chartRows(levels([3, 3, 3], 2), 2)).toEqual(['   ', '███']);
    expect(chartRows(levels([7], 1), 1)).toEqual(['▄']);
    expect(chartRows(levels([NaN, 1, 2], 1), 1)).toEqual([' ▁█']);
  });

  it('axis labels: formatNumber(x, \'compact\')', () => {
    expect(formatNumber(10000, 'compact')).toBe('10.0k');
    expect(formatNumber(123.4, 'compact')).toBe('123');
    expect(formatNumber(1.234, 'compact')).toBe('1.23');
    expect(formatNumber(2_500_000, 'compact')).toBe('2.5M');
    expect(formatNumber(NaN, 'compact')).toBe('—');
  });
});

describe('EquityChart', () => {
  const lines = (frame: string | undefined): string[] => (frame ?? '').split('\n');

  it('fits in width × height and shows the title with min/max/last', () => {
    const values = Array.from({ length: 500 }, (_, i) => (i < 20 ? NaN : 10000 + i * 10));
    const { lastFrame, unmount } = render(<EquityChart values={values} width={40} height={6} label="equity" color={false} />);
    const out = lines(lastFrame());
    expect(out.length).toBeLessThanOrEqual(6);
    for (const l of out) expect(l.length).toBeLessThanOrEqual(40);
    // min is the first finite value 10200, max 10000+499·10 = 14990
    expect(out[0]).toContain('equity');
    expect(out[0]).toContain('min 10.2k');
    expect(out[0]).toContain('max 15.0k');
    expect(out[1]).toMatch(/^ *15\.0k /);
    expect(out[5]).toMatch(/^ *10\.2k /);
    // a rising series ends with a full column at the top row
    expect(out[1]!.trimEnd().endsWith('█')).toBe(true);
    unmount();
  });

  it('renders a single value and an all-NaN series without crashing', () => {
    const one = render(<EquityChart values={[100]} width={20} height={3} color={false} />);
    expect(lines(one.lastFrame()).length).toBeLessThanOrEqual(3);
    expect(one.lastFrame()).toMatch(/[▁▂▃▄▅▆▇█]/);
    one.unmount();
    const none = render(<EquityChart values={[NaN, NaN]} width={20} height={3} label="eq" />);
    expect(none.lastFrame()).toBe('eq: no data');
    none.unmount();
  });

  it('with color off there are no ANSI escapes', () => {
    const values = [1, 3, 2, 5, 4, 6, 2, 8];
    const { lastFrame, unmount } = render(<EquityChart values={values} width={30} height={4} label="x" color={false} />);
    expect(lastFrame()).not.toContain(ESC);
    unmount();
  });

  it('NO_COLOR turns colour off (present and non-empty)', () => {
    expect(colorAllowed({ NO_COLOR: '1' })).toBe(false);
    expect(colorAllowed({ NO_COLOR: '' })).toBe(true);
    expect(colorAllowed({})).toBe(true);
  });
});
