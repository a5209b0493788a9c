import type { FC } from 'react';
import { Box } from 'ink';
import { EquityChart } from '../components/equity-chart.tsx';
import { Pane, Lines, type Line } from '../components/Pane.tsx';
import type { EngineKeyView } from '../state/types.ts';
import type { Metrics } from '../../core/research/run.ts';
import { useConsole } from '../useConsole.ts';
import { clip } from '../text.ts';
import type { PaneSize } from './size.ts';
import { formatNumber } from '../../core/format/numbers.ts';

const CELL = { done: '████', running: '██░░', pending: '░░░░' } as const;

/** Progress cells `AAP@1d ████` flowed into lines of `width`. */
export function progressLines(keys: readonly EngineKeyView[], width: number): string[] {
  const out: string[] = [];
  let line = '';
  for (const k of keys) {
    const cell = `${k.key} ${CELL[k.state]}`;
    if (line !== '' && line.length + 2 + cell.length > width) { out.push(line); line = ''; }
    line = line === '' ? cell : `${line}  ${cell}`;
  }
  if (line !== '') out.push(line);
  return out;
}

/**
 * The newest run, in lines short enough for a half-width pane (one long line was clipped there, hiding
 * the gross figures). With a gross figure (the same run at 0 costs), net and gross get a line each:
 * `AAP@1d: 12 trades · DD 8.2%` / `net:   Sharpe 0.840 · avg 0.41%` / `gross: Sharpe 0.970 · avg 0.61% (0 costs)`.
 */
export function runFacts(last: { label: string; metrics: Metrics; gross?: Metrics }): string[] {
  const m = last.metrics;
  const g = last.gross;
  if (g === undefined) return [`${last.label}: ${m.trades} trades · DD ${formatNumber(m.max_drawdown, 'percent')}`, `Sharpe ${formatNumber(m.sharpe, 'sharpe')} · avg ${formatNumber(m.avg_trade_return, 'percent')}`];
  return [
    `${last.label}: ${m.trades} trades · DD ${formatNumber(m.max_drawdown, 'percent')}`,
    `net:   Sharpe ${formatNumber(m.sharpe, 'sharpe')} · avg ${formatNumber(m.avg_trade_return, 'percent')}`,
    `gross: Sharpe ${formatNumber(g.sharpe, 'sharpe')} · avg ${formatNumber(g.avg_trade_return, 'percent')} (0 costs)`,
  ];
}

/** ⑥ Engine: a progress bar per symbol × interval of the batch, the last run's equity and metrics. */
export const EnginePane: FC<PaneSize> = ({ width, height }) => {
  const e = useConsole((s) => s.engine);
  const equity = useConsole((s) => s.equity);
  const status = useConsole((s) => s.stages.engine.status);
  const color = useConsole((s) => s.settings.color);
  const body = height - 1;
  const progress = progressLines(e.keys, width).slice(0, Math.max(1, Math.floor(body / 3)));
  const facts: Line[] = [];
  if (e.last !== null) {
    for (const text of runFacts(e.last)) facts.push({ text, dim: true });
  }
  for (const n of e.notes.slice(-1)) facts.push({ text: n, dim: true });
  const chartHeight = Math.max(0, body - progress.length - facts.length);
  const right = e.detail !== null && status === 'running' ? clip(e.detail, 30) : `${e.runs} run${e.runs === 1 ? '' : 's'}${e.trials > 0 ? ` · ${e.trials} trial${e.trials === 1 ? '' : 's'}` : ''}`;
  return (
    <Pane n={6} title="Engine" right={right} status={status} width={width} height={height}>
      <Lines lines={progress} width={width} max={progress.length} />
      {equity !== null && chartHeight >= 1 && (
        <Box height={chartHeight}>
          <EquityChart values={equity.values} width={width} height={chartHeight} label={`equity ${equity.label}`} color={color} />
        </Box>
      )}
      <Lines lines={facts} width={width} max={equity !== null && chartHeight >= 1 ? facts.length : body - progress.length} />
    </Pane>
  );
};
