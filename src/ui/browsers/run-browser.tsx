import type { FC } from 'react';
import { Box } from 'ink';
import { paramsText } from '../../core/report/spec-text.ts';
import type { TradeRow } from '../../core/report/trades-artifact.ts';
import { EquityChart, colorAllowed } from '../components/equity-chart.tsx';
import type { RunDetail, RunRow } from './data.ts';
import { Lines, columns, line, mark, type Line } from './lines.tsx';
import { listWindow, offsetWindow } from './list-window.ts';
import { formatNumber } from '../../core/format/numbers.ts';

export interface RunBrowserProps {
  /** Every stored run, from `runRows(store.data)`. */
  runs: readonly RunRow[];
  /** Index into `runs` of the highlighted run (clamped). */
  cursor: number;
  /** The highlighted run's equity and trades (`loadRunDetail`), or null while loading. */
  detail: RunDetail | null;
  /** First trade shown in the trade list (clamped so the list stays full). */
  tradeOffset: number;
  width: number;
  /** Lines available; the browser never draws more. */
  height: number;
  /** Defaults to honouring NO_COLOR. */
  color?: boolean;
}

/** Runs with metrics, an equity chart and a scrollable trade list for the highlighted one. */
export const RunBrowser: FC<RunBrowserProps> = ({ runs, cursor, detail, tradeOffset, width, height, color }) => {
  const h = Math.max(1, Math.floor(height));
  const useColor = color ?? colorAllowed();
  const head: Line[] = [line(`Runs · ${runs.length}`, 'title')];
  if (runs.length === 0) {
    head.push(line('no runs in this store yet', 'dim'));
    return <Lines lines={head} width={width} height={h} color={useColor} />;
  }
  const { listRows } = runLayout(h, runs.length);
  const win = listWindow(cursor, runs.length, listRows);
  for (let i = win.start; i < win.end; i++) head.push(runLine(runs[i]!, i === win.cursor));
  const sel = runs[win.cursor]!;
  head.push(...metricLines(sel));
  const rest = Math.max(0, h - head.length);
  if (detail === null || detail.run.id !== sel.id) {
    head.push(line('loading equity and trades…', 'dim'));
    return <Lines lines={head} width={width} height={h} color={useColor} />;
  }
  const { chartRows } = runLayout(h, runs.length);
  const tradeLines = tradeList(detail.trades, tradeOffset, rest - chartRows);
  return (
    <Box flexDirection="column" width={width} height={Math.min(h, head.length + (chartRows > 0 ? chartRows : 0) + tradeLines.length)}>
      <Lines lines={head} width={width} height={h} color={useColor} />
      {chartRows > 0 && <EquityChart values={detail.equity} width={width} height={chartRows} label={`equity ${sel.key} ${sel.segment}`} color={useColor} />}
      <Lines lines={tradeLines} width={width} height={Math.max(0, h - head.length - chartRows)} color={useColor} />
    </Box>
  );
};

/**
 * The runs browser's rows at height `h`: title, list, 3 metric lines; the rest is split between the
 * chart and the trades (a title line, then `tradeRows` trades). A page key moves `tradeRows`.
 */
export function runLayout(h: number, runs: number): { listRows: number; chartRows: number; tradeRows: number } {
  const listRows = Math.min(runs, Math.max(1, Math.floor((h - 4) / 4)));
  const rest = Math.max(0, h - 1 - listRows - 3);
  const chartRows = rest >= 6 ? Math.ceil(rest / 2) : Math.min(rest, 2);
  return { listRows, chartRows, tradeRows: Math.max(1, rest - chartRows - 1) };
}

function runLine(r: RunRow, selected: boolean): Line {
  const m = r.metrics;
  const text = mark(selected) + columns([
    [r.id, 14], [r.kind, 9], [r.key, 12], [r.segment, 7],
    [`SR ${m === null ? '—' : formatNumber(m.sharpe, 'sharpe')}`, 9], [`ret ${m === null ? '—' : formatNumber(m.total_return, 'percent')}`, 11], [`n ${m?.trades ?? '—'}`, 6],
  ]);
  return line(text, selected ? 'selected' : 'plain');
}

function metricLines(r: RunRow): Line[] {
  const m = r.metrics;
  if (m === null) return [line(`── ${r.id}: no metrics stored`, 'title')];
  return [
    line(`── ${r.id} · ${r.session} · ${r.key} ${r.segment} · ${r.bars} bars · ${paramsText(r.params)}`, 'title'),
    line(columns([[`return ${formatNumber(m.total_return, 'percent')}`, 16], [`CAGR ${formatNumber(m.cagr, 'percent')}`, 14], [`Sharpe ${formatNumber(m.sharpe, 'sharpe')}`, 13], [`Sortino ${formatNumber(m.sortino, 'sharpe')}`, 14], [`max DD ${formatNumber(m.max_drawdown, 'percent')}`, 14]])),
    line(columns([[`trades ${m.trades}`, 16], [`per yr ${formatNumber(m.trades_per_year, 'ratio')}`, 14], [`avg ${formatNumber(m.avg_trade_return, 'percent')}`, 13], [`win ${formatNumber(m.win_rate, 'percent')}`, 11], [`PF ${formatNumber(m.profit_factor, 'ratio')}`, 8], [`exp ${formatNumber(m.exposure, 'percent')}`, 10]])),
  ];
}

const day = (ms: number): string => (Number.isFinite(ms) ? new Date(ms).toISOString().replace('T', ' ').slice(0, 16).replace(' 00:00', '') : '—');

/** A title line and as many trades as fit, from `offset`. */
function tradeList(trades: readonly TradeRow[] | null, offset: number, rows: number): Line[] {
  if (rows <= 0) return [];
  if (trades === null) return [line('trades: not stored for this run (written before trades were kept)', 'dim')];
  if (trades.length === 0) return [line('trades: none', 'dim')];
  if (rows === 1) return [line(`trades: ${trades.length}`, 'title')];
  const w = offsetWindow(offset, trades.length, rows - 1);
  const out: Line[] = [line(`trades ${w.start + 1}–${w.end} of ${trades.length}`, 'title')];
  for (let k = w.start; k < w.end; k++) {
    const t = trades[k]!;
    const ret = t.ret === null ? '—' : `${t.ret >= 0 ? '+' : ''}${formatNumber(t.ret, 'percent')}`;
    out.push(line(columns([[`#${k + 1}`, 6], [t.side, 5], [`${day(t.entryTime)} → ${day(t.exitTime)}`, 36], [ret, 9]]), t.ret === null ? 'plain' : t.ret >= 0 ? 'good' : 'bad'));
  }
  return out;
}
