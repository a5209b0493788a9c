import type { FC } from 'react';
import { Pane, Lines, type Line } from '../components/Pane.tsx';
import { useConsole } from '../useConsole.ts';
import { partialJsonField, who, wrap } from '../text.ts';
import type { PaneSize } from './size.ts';

/** ② Translator: the idea, the intent summary and the classification (meta) of the spec. */
export const TranslatorPane: FC<PaneSize> = ({ width, height }) => {
  const t = useConsole((s) => s.translator);
  const idea = useConsole((s) => s.idea);
  const meta = useConsole((s) => s.spec?.spec.meta ?? null);
  const status = useConsole((s) => s.stages.translator.status);
  const llmMessage = useConsole((s) => s.settings.llmMessage);
  const lines: Line[] = [{ text: `idea: ${idea}`, dim: true }];
  if (t.summary === null && t.stream !== '') lines.push(...wrap(partialJsonField(t.stream, 'summary') ?? t.stream, width).slice(-(height - 2)));
  if (meta !== null) lines.push({ text: `${meta.style} · ${meta.holding_period} holding · ${meta.volatility_preference} vol · ${meta.market_type}`, bold: true });
  if (t.summary !== null) lines.push(...wrap(t.summary, width));
  for (const w of t.warnings) lines.push({ text: `⚠ ${w}`, color: 'yellow' });
  if (llmMessage !== null && t.source === 'rules') lines.push({ text: `LLM: ${llmMessage}`, color: 'yellow' });
  return (
    <Pane n={2} title="Translator" right={t.source === null ? undefined : who(t.source)} status={status} width={width} height={height}>
      <Lines lines={lines} width={width} max={height - 1} />
    </Pane>
  );
};
