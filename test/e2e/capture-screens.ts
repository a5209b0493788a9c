/**
 * Text captures of the console at 100×30 (and the verdict at 80×24, 120×40 and 200×50) for the README, taken from a real terminal (tmux) the
 * way a user would see them: the start screen, a proposal waiting in the approval inbox, the
 * verdict, and the help overlay. The console runs as the installed `gauntlet` (bin/gauntlet.js)
 * in a scratch research directory (store ./.gauntlet, a planted-edge synthetic market, an ideas
 * folder), with the fake Ollama server answering as a model would.
 *
 *   npx tsx test/e2e/capture-screens.ts             prints the Markdown
 *   npx tsx test/e2e/capture-screens.ts --readme    replaces the screens in README.md between
 *                                                   <!-- screens:start --> and <!-- screens:end -->
 */
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PLAIN_IDEA, startGoodFakeOllama } from '../support/fake-ollama-server.ts';
import { EDGE_MARKET, ROOT, inproc, workspace } from '../research/helpers.ts';
import { nextProposal, openConsole, shownVerdict, type ShownProposal } from './console-screen.ts';
import { tmuxAvailable } from './tmux.ts';

const START = '<!-- screens:start -->';
const END = '<!-- screens:end -->';

interface Screen { title: string; caption: string; text: string }

const SIZES: Array<[number, number, string]> = [
  [80, 24, 'The smallest console: the header on two lines, short stage names, and the key bar keeps\n`[q] quit  [?] keys` by dropping the hints that do not fit.'],
  [120, 40, 'From 120 columns the header takes one line and the panes sit in three rows instead of four, each\ntaller: the idea, spec and compiler three abreast; the Director and the engine two abreast; the gates at\nhalf the width beside the review and the verdict. A line wraps wherever the pane has the rows for it.'],
  [200, 50, 'From 160 columns the panes sit four abreast; the second row (chart, gates, review, verdict)\ngets most of a tall terminal.'],
];

async function capture(): Promise<Screen[]> {
  const ws = workspace('screens');
  const { fake } = await startGoodFakeOllama();
  try {
    const synth = await inproc(['data', 'synth', ...EDGE_MARKET, '--out', join(ws.dir, 'edge-market')], ws.env);
    if (synth.code !== 0) throw new Error(`data synth failed: ${synth.stderr}`);
    mkdirSync(join(ws.dir, 'ideas'));
    for (const f of ['02-rsi-levels-long.pine', '03-bollinger-reversion.pine']) copyFileSync(join(ROOT, 'test/agents/fixtures/pine', f), join(ws.dir, 'ideas', f));
    writeFileSync(join(ws.dir, 'ideas', 'rsi2-dip.txt'), `${PLAIN_IDEA}\n`);

    const term = await openConsole({
      entry: [join(ROOT, 'bin/gauntlet.js')],
      cwd: ws.dir,
      args: ['--universe', 'edge-market', '--model', 'fake-model'],
      env: { OLLAMA_HOST: fake.url, GAUNTLET_CACHE: ws.cache },
    });
    try {
      const screens: Screen[] = [];
      const start = await term.waitFor((s) => s.includes('Examples (') && !s.includes('connecting…'), 'the start screen', 30_000);
      screens.push({ title: 'Start', caption: '`gauntlet` with no idea: the bundled examples, a box for your own words, and the `.pine` /\n`.txt` files under the working directory.', text: start });

      await term.keys('Tab');
      await term.waitFor((s) => s.includes('[Esc] leave the box'), 'the idea box');
      await term.type(PLAIN_IDEA);
      await term.waitFor((s) => s.includes(PLAIN_IDEA.slice(-30)), 'the typed idea');
      await term.keys('Enter');

      // Approve every proposal; the third one, with the first runs, gates and review on screen, is the inbox capture.
      let last: ShownProposal | null = null;
      for (let n = 1; ; n++) {
        const { proposal, screen } = await nextProposal(term, last, 60_000);
        if (proposal === null) {
          // The verdict is drawn a moment before the header says the session has ended.
          const ended = screen.split('\n')[1]?.includes('■ ENDED') === true ? screen : await term.waitFor((s) => s.split('\n')[1]?.includes('■ ENDED') === true, 'the header to say ENDED');
          screens.push({ title: 'Verdict', caption: 'Every proposal approved: the session ends PROMOTED, the strategy joins the candidate\nlibrary, and the promotion resets the budget.', text: ended });
          break;
        }
        if (n === 3) screens.push({ title: 'A proposal in the approval inbox', caption: 'The third step: the rules chose the candidates, the model ranked and\nexplained them, and nothing is spent until you press `a`.', text: screen });
        last = proposal;
        await term.keys('a');
        if (n > 40) throw new Error('more than 40 proposals: the session does not end');
      }
      await term.keys('?');
      const help = await term.waitFor((s) => s.includes('Keys — '), 'the help overlay');
      screens.push({ title: 'Help', caption: '`?` anywhere outside a text box: generated from the one key map the keys are read\nfrom (`src/ui/keymap.ts`).', text: help });
      await term.keys('Escape');
      await term.waitFor((s) => shownVerdict(s) !== null, 'the console again');
      // The same verdict at the three sizes a researcher lives in: the console follows the resize.
      for (const [columns, rows, caption] of SIZES) {
        await term.resize(columns, rows);
        const screen = await term.waitFor((s) => {
          const lines = s.split('\n');
          return shownVerdict(s) !== null && lines.length <= rows && Math.max(...lines.map((l) => l.length)) <= columns && lines.some((l) => l.startsWith('GAUNTLET'));
        }, `the verdict redrawn at ${columns}×${rows}`);
        // A redraw settles over a few frames; take the screen once it stops changing.
        await new Promise((r) => setTimeout(r, 500));
        // Above the header, a narrower terminal may keep the end of an older, wider frame: not the console's.
        const now = (await term.screen()) || screen;
        screens.push({ title: `${columns}×${rows}`, caption, text: now.slice(Math.max(0, now.indexOf('GAUNTLET'))) });
      }
      await term.resize(80, 24);
      await term.keys('?');
      const small = await term.waitFor((s) => s.includes('Keys — '), 'the help at 80×24');
      screens.push({ title: 'Help at 80×24', caption: 'Where the keys do not fit they wrap in two columns and scroll (PgDn / PgUp); the title says\nwhich lines show.', text: small });
      await term.keys('Escape');
      await term.waitFor((s) => shownVerdict(s) !== null, 'the console again');
      await term.keys('q');
      const status = await term.exited(20_000);
      if (status !== 0) throw new Error(`the console exited with ${status}`);
      return screens;
    } finally {
      await term.close();
    }
  } finally {
    await fake.close();
    ws.cleanup();
  }
}

function markdown(screens: Screen[]): string {
  return screens.map((s) => `**${s.title}.** ${s.caption}\n\n\`\`\`text\n${s.text.replace(/\s+$/, '')}\n\`\`\``).join('\n\n');
}

if (!tmuxAvailable()) {
  process.stderr.write('capture-screens: tmux is not installed (apt-get install tmux)\n');
  process.exit(1);
}
const md = markdown(await capture());
if (process.argv.includes('--readme')) {
  const file = join(ROOT, 'README.md');
  const readme = readFileSync(file, 'utf8');
  const a = readme.indexOf(START);
  const b = readme.indexOf(END);
  if (a < 0 || b < a) {
    process.stderr.write(`capture-screens: README.md has no ${START} … ${END} block to replace\n`);
    process.exit(2);
  }
  writeFileSync(file, `${readme.slice(0, a + START.length)}\n${md}\n${readme.slice(b)}`);
  process.stdout.write('README.md: screens replaced\n');
} else {
  process.stdout.write(`${md}\n`);
}
