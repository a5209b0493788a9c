import type { FC, ReactElement } from 'react';
import { Box, Text } from 'ink';
import { hints } from '../keymap.ts';
import { titleRule } from '../components/Pane.tsx';
import { TextInput } from '../components/TextInput.tsx';
import { Tone } from '../components/Tone.tsx';
import { useActions, useConsole } from '../useConsole.ts';
import { useKeys } from '../useKeys.ts';
import { clip } from '../text.ts';
import { ChoiceList } from './ChoiceList.tsx';

const PAGE = 8;

/** With no idea on the command line: the bundled examples, a free-text idea box, and a file picker. */
export const StartScreen: FC<{ width: number; height: number; active: boolean }> = ({ width, height, active }) => {
  const a = useActions();
  const start = useConsole((s) => s.start);
  const focus = useConsole((s) => s.focus);
  const llmMessage = useConsole((s) => s.settings.llmMessage);
  const listActive = active && (focus === 'examples' || focus === 'files');

  useKeys('start', listActive, (c) => {
    switch (c) {
      case 'move-up': a.move(-1); break;
      case 'move-down': a.move(1); break;
      case 'page-up': a.move(-PAGE); break;
      case 'page-down': a.move(PAGE); break;
      case 'next-section': a.section(1); break;
      case 'prev-section': a.section(-1); break;
      case 'choose': a.choose(); break;
      default: break;
    }
  });

  // Fixed lines: intro, three titles, the idea box, the message line and the keys line.
  const rest = Math.max(2, height - 7 - (llmMessage === null ? 0 : 1));
  const examplesHeight = Math.max(1, Math.ceil(rest * 0.6));
  const filesHeight = Math.max(1, rest - examplesHeight);
  const rule = (title: string, on: boolean): ReactElement => <Tone color={on ? 'cyan' : undefined} bold={on}>{titleRule(width, title)}</Tone>;
  const scope = focus === 'idea' ? 'idea' : 'start';
  return (
    <Box flexDirection="column" width={width} height={height}>
      <Text wrap="truncate">{clip('Pick an idea to research: a bundled example, your own words, or a .pine / .txt file.', width)}</Text>
      {llmMessage !== null && <Tone color="yellow">{clip(`LLM: ${llmMessage}`, width)}</Tone>}
      {rule(`Examples (${start.examples.length})`, focus === 'examples')}
      <ChoiceList items={start.examples} cursor={start.cursor.examples} active={focus === 'examples'} width={width} height={examplesHeight} empty="no bundled examples found" />
      {rule('Your idea (plain rules, e.g. buy when rsi(14) < 30; sell when rsi(14) > 70)', focus === 'idea')}
      <TextInput scope="idea" value={start.draft} active={active && focus === 'idea'} width={width} placeholder="Tab here and type an idea, then Enter"
        onChange={a.editDraft} onCommand={(c) => (c === 'submit' ? a.submitDraft() : c === 'next-section' ? a.section(1) : c === 'prev-section' ? a.section(-1) : c === 'leave' ? a.leaveIdea() : undefined)} />
      {rule(`Files under ${start.filesRoot} (.pine, .txt: ${start.files.length})`, focus === 'files')}
      <ChoiceList items={start.files} cursor={start.cursor.files} active={focus === 'files'} width={width} height={filesHeight} empty="no .pine or .txt file under this directory" />
      <Text wrap="truncate">{start.error === null ? ' ' : <Tone color="red">{clip(start.error, width)}</Tone>}</Text>
      <Tone dim>{clip(hints(scope, { withGlobal: scope === 'start' }), width)}</Tone>
    </Box>
  );
};
