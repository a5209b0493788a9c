import type { FC } from 'react';
import { Box } from 'ink';
import { hints, type Command } from '../keymap.ts';
import { proposalText } from '../state/history.ts';
import { useActions, useConsole } from '../useConsole.ts';
import { Segments, type Segment } from './Segments.tsx';
import { TextInput } from './TextInput.tsx';

const FINAL_COLOR: Record<string, string> = { PROMOTED: 'green', DEAD: 'red', KILLED: 'red', FROZEN: 'yellow' };

/**
 * The approval inbox: the proposal waiting for a decision (or what the loop is doing), and the
 * keys that apply now (the keys themselves are the console key hook's, useConsoleKeys).
 */
export const Inbox: FC<{ width: number; active: boolean }> = ({ width, active }) => {
  const a = useActions();
  const inbox = useConsole((s) => s.inbox);
  const run = useConsole((s) => s.run);
  const focus = useConsole((s) => s.focus);
  const final = useConsole((s) => s.final);
  const error = useConsole((s) => s.error);
  const stages = useConsole((s) => s.stages);

  const p = inbox.pending;
  let status: Segment[];
  let keys: readonly Command[];
  if (run === 'closing') {
    status = [{ text: '… suspending: the step in flight finishes, the session stops at its next proposal (unanswered) and the store is closed', color: 'yellow' }];
    keys = [];
  } else if (run === 'paused') {
    status = [{ text: '‖ PAUSED between steps: nothing runs and nothing is answered until you resume', color: 'yellow', bold: true }];
    keys = ['pause', 'kill', 'zoom', 'browse'];
  } else if (final !== null || run === 'finished' || run === 'failed') {
    status = error !== null
      ? [{ text: `✗ ${error}`, color: 'red' }]
      : [{ text: `■ ${final?.status ?? 'ENDED'}`, color: FINAL_COLOR[final?.status ?? ''], bold: true }, { text: `: ${final?.reason ?? ''}` }];
    keys = ['new-idea', 'zoom', 'browse'];
  } else if (p !== null) {
    status = [
      { text: '▶ Director proposes: ', color: 'cyan', bold: true },
      { text: `${proposalText(p)} · ${p.cost} credits`, bold: true },
      { text: ` · gain: ${p.expected_information_gain}` },
    ];
    keys = ['approve', 'veto', 'veto-note', 'kill', 'pause', 'zoom', 'browse'];
  } else {
    const runningStage = Object.entries(stages).find(([, v]) => v.status === 'running');
    const doing = run === 'starting' ? 'starting the session…' : runningStage === undefined ? 'working…' : `${runningStage[0]}${runningStage[1].detail === undefined ? '' : ` ${runningStage[1].detail}`}…`;
    status = [{ text: inbox.autoNote ?? `no proposal waiting · ${doing}`, dim: true }];
    keys = ['kill', 'pause', 'zoom', 'browse'];
  }

  if (focus === 'confirm') {
    return (
      <Box flexDirection="column">
        <Segments parts={[{ text: 'Kill the strategy? KILLED is final (q instead suspends the session, to resume later).', color: 'red', bold: true }]} width={width} />
        <Segments parts={[{ text: hints('confirm'), dim: true }]} width={width} />
      </Box>
    );
  }
  if (focus === 'note' && p !== null) {
    return (
      <Box flexDirection="column">
        <Segments parts={[{ text: `veto ${proposalText(p)} with a note for the Director:`, color: 'yellow', bold: true }, { text: `   ${hints('note')}` }]} width={width} />
        <TextInput scope="note" value={inbox.note} active={active} width={width} onChange={a.editNote} />
      </Box>
    );
  }
  return (
    <Box flexDirection="column">
      <Segments parts={status} width={width} />
      <Segments parts={[{ text: hints('console', { only: keys, withGlobal: true, width, ...(run === 'paused' ? { renamed: { pause: 'resume' } } : {}) }), dim: true }]} width={width} />
    </Box>
  );
};
