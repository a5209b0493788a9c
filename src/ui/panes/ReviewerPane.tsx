import type { FC } from 'react';
import { Pane, Lines, type Line } from '../components/Pane.tsx';
import { useConsole } from '../useConsole.ts';
import { partialJsonField, who, wrap } from '../text.ts';
import type { PaneSize } from './size.ts';

/** ⑧ Reviewer: its diagnosis, streaming in while the model writes; numbers it made up are flagged. */
export const ReviewerPane: FC<PaneSize> = ({ width, height }) => {
  const r = useConsole((s) => s.reviewer);
  const status = useConsole((s) => s.stages.reviewer.status);
  const body = height - 1;
  let lines: Line[] = [];
  if (status === 'running' && r.stream !== '') {
    // While it streams, the newest words are the ones to see.
    lines = wrap(partialJsonField(r.stream, 'diagnosis') ?? r.stream, width).slice(-body);
  } else if (r.diagnosis !== null) {
    lines = wrap(r.diagnosis, width);
    if (r.unsupported.length > 0) {
      const flag: Line = { text: `⚑ not in its input, ignored: ${r.unsupported.join(', ')}`, color: 'yellow' };
      lines = [...lines.slice(0, Math.max(0, body - 1)), flag];
    }
  }
  const right = r.source === null ? undefined : `${who(r.source)}${r.intentMatch === null ? '' : ` · intent ${r.intentMatch}`}`;
  return (
    <Pane n={8} title="Reviewer" right={right} status={status} width={width} height={height}>
      <Lines lines={lines} width={width} max={body} />
    </Pane>
  );
};
