import type { FC } from 'react';
import { Box } from 'ink';
import { useConsole } from '../useConsole.ts';
import { bar } from '../text.ts';
import { Segments, type Segment } from './Segments.tsx';

const RUN_TEXT: Record<string, string> = {
  idle: '', starting: '● STARTING', running: '● RUNNING', paused: '‖ PAUSED', finished: '■ ENDED', failed: '✗ FAILED', closing: '… CLOSING',
};
const RUN_COLOR: Record<string, string> = { paused: 'yellow', failed: 'red', running: 'green', starting: 'green' };

/** Store, LLM status, budget bar (credits left and spent), the auto-approval setting, the session state. */
export const Header: FC<{ width: number; lines: number }> = ({ width, lines }) => {
  const settings = useConsole((s) => s.settings);
  const balance = useConsole((s) => s.balance);
  const spent = useConsole((s) => s.spent);
  const budget = useConsole((s) => s.session?.budget ?? s.settings.budget);
  const run = useConsole((s) => s.run);
  const session = useConsole((s) => s.session?.id ?? null);
  const left = balance ?? budget;
  const first: Segment[] = [
    { text: 'GAUNTLET', bold: true, color: 'cyan' },
    { text: `  store ${settings.storePath}  LLM ` },
    { text: settings.llm, color: settings.llm.startsWith('offline') ? 'yellow' : 'green' },
    // Results on survivors only look better than they were: said on every screen.
    ...(settings.survivorship === 'biased' ? [{ text: '  data: survivorship-biased', color: 'yellow' }] : []),
  ];
  const second: Segment[] = [
    { text: 'budget ' },
    { text: bar(budget === 0 ? 0 : left / budget, 12), color: left / Math.max(1, budget) < 0.2 ? 'red' : 'green' },
    { text: ` ${left}/${budget} left · ${spent} spent   auto-approve ${settings.autoApprove === null ? 'off' : `< ${settings.autoApprove} cr`}` },
    { text: run === 'idle' ? '' : `   ${RUN_TEXT[run] ?? run}${session === null ? '' : ` ${session}`}`, color: RUN_COLOR[run], bold: run === 'paused' },
  ];
  if (lines <= 1) return <Segments parts={[...first, { text: '   ' }, ...second]} width={width} />;
  return (
    <Box flexDirection="column">
      <Segments parts={first} width={width} />
      <Segments parts={second} width={width} />
    </Box>
  );
};
