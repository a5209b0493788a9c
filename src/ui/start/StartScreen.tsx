import type { FC, ReactElement } from 'react';
import { Box, Text } from 'ink';
import { hints } from '../keymap.ts';
import { titleRule } from '../components/Pane.tsx';
import { TextInput } from '../components/TextInput.tsx';
import { Tone } from '../components/Tone.tsx';
import { useActions, useConsole } from '../useConsole.ts';
import { clip, wrap } from '../text.ts';
import { ChoiceList } from './ChoiceList.tsx';

/** The two lists' heights: fixed lines are the intro, three titles, the idea box, the message line and the keys line. */
export function startLists(height: number, messageLines: number): { examplesHeight: number; filesHeight: number } {
  const rest = Math.max(2, height - 7 - messageLines);
  const examplesHeight = Math.max(1, Math.ceil(rest * 0.6));
  return { examplesHeight, filesHeight: Math.max(1, rest - examplesHeight) };
}

/** With no idea on the command line: the bundled examples (and suspended sessions), a free-text idea box, and a file picker. */
export const StartScreen: FC<{ width: number; height: number; active: boolean }> = ({ width, height, active }) => {
  const a = useActions();
  const start = useConsole((s) => s.start);
  const focus = useConsole((s) => s.focus);
  const llmMessage = useConsole((s) => s.settings.llmMessage);

  // The server hint wraps: it says what to do, so it is never cut.
  const hint = llmMessage === null ? [] : wrap(`LLM: ${llmMessage}`, width);
  const { examplesHeight, filesHeight } = startLists(height, hint.length);
  const rule = (title: string, on: boolean): ReactElement => <Tone color={on ? 'cyan' : undefined} bold={on}>{titleRule(width, title)}</Tone>;
  const scope = focus === 'idea' ? 'idea' : 'start';
  return (
    <Box flexDirection="column" width={width} height={height}>
      <Text wrap="truncate">{clip('Pick an idea to research: a bundled example, your own words, or a .pine / .txt file.', width)}</Text>
      {hint.map((l, i) => <Tone key={`hint-${i}`} color="yellow">{l}</Tone>)}
      {rule(`Examples (${start.examples.length})`, focus === 'examples')}
      <ChoiceList items={start.examples} cursor={start.cursor.examples} active={focus === 'examples'} width={width} height={examplesHeight} empty="no bundled examples found" />
      {rule('Your idea (plain rules, e.g. buy when rsi(14) < 30; sell when rsi(14) > 70)', focus === 'idea')}
      <TextInput scope="idea" value={start.draft} active={active && focus === 'idea'} width={width} placeholder="Tab here and type an idea, then Enter"
        onChange={a.editDraft} />
      {rule(`Files under ${start.filesRoot} (.pine, .txt: ${start.files.length})`, focus === 'files')}
      <ChoiceList items={start.files} cursor={start.cursor.files} active={focus === 'files'} width={width} height={filesHeight} empty="no .pine or .txt file under this directory" />
      <Text wrap="truncate">{start.error === null ? ' ' : <Tone color="red">{clip(start.error, width)}</Tone>}</Text>
      <Tone dim>{clip(hints(scope, { withGlobal: scope === 'start', width }), width)}</Tone>
    </Box>
  );
};
