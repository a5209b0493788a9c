import type { FC } from 'react';
import { Box, Text } from 'ink';
import { chartRows, downsample, finiteRange, levels } from './chart-math.ts';
import { formatNumber } from '../../core/format/numbers.ts';

/** NO_COLOR (https://no-color.org): present and non-empty turns colour off. */
export function colorAllowed(env: NodeJS.ProcessEnv = process.env): boolean {
  const v = env['NO_COLOR'];
  return v === undefined || v === '';
}

export interface EquityChartProps {
  /** The series, oldest first; NaN (warm-up) shows as blank columns. */
  values: ArrayLike<number>;
  /** Columns available, axis labels included. */
  width: number;
  /** Lines available, the title line included; the chart never renders taller. */
  height: number;
  /** Title shown on the first line with min, max and last value. */
  label?: string;
  /** Colour the curve (green up, red down); defaults to honouring NO_COLOR. */
  color?: boolean;
}

/** A block-glyph equity chart that fits exactly in width × height. */
export const EquityChart: FC<EquityChartProps> = ({ values, width, height, label, color }) => {
  const w = Math.max(1, Math.floor(width));
  const h = Math.max(1, Math.floor(height));
  const useColor = color ?? colorAllowed();
  const range = finiteRange(values);
  if (range === null) {
    return <Text wrap="truncate">{clip(`${label ? `${label}: ` : ''}no data`, w)}</Text>;
  }
  const withTitle = label !== undefined && h >= 2;
  const rowsAvail = withTitle ? h - 1 : h;
  const hi = formatNumber(range.max, 'compact');
  const lo = formatNumber(range.min, 'compact');
  const gutter = Math.max(hi.length, lo.length) + 1;
  const showAxis = w - gutter >= 8;
  const plotW = showAxis ? w - gutter : w;
  const cols = downsample(values, plotW);
  const rows = chartRows(levels(cols, rowsAvail), rowsAvail);
  const first = firstFinite(cols);
  const last = lastFinite(cols);
  const tint = useColor ? (last >= first ? 'green' : 'red') : undefined;
  const axis = (r: number): string => {
    if (!showAxis) return '';
    const text = r === 0 ? hi : r === rows.length - 1 ? lo : '';
    return text.padStart(gutter - 1) + ' ';
  };
  return (
    <Box flexDirection="column" width={w} height={withTitle ? rows.length + 1 : rows.length}>
      {withTitle && (
        <Text wrap="truncate" bold={useColor}>
          {clip(`${label}  min ${lo}  max ${hi}  last ${formatNumber(lastFinite(values), 'compact')}`, w)}
        </Text>
      )}
      {rows.map((row, r) => (
        <Text key={r} wrap="truncate">
          {axis(r)}
          {tint ? <Text color={tint}>{row}</Text> : row}
        </Text>
      ))}
    </Box>
  );
};

function clip(s: string, w: number): string {
  return s.length <= w ? s : s.slice(0, Math.max(0, w - 1)) + '…';
}

function firstFinite(v: ArrayLike<number>): number {
  for (let i = 0; i < v.length; i++) if (Number.isFinite(v[i]!)) return v[i]!;
  return NaN;
}

function lastFinite(v: ArrayLike<number>): number {
  for (let i = v.length - 1; i >= 0; i--) if (Number.isFinite(v[i]!)) return v[i]!;
  return NaN;
}
