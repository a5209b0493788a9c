/**
 * NO_COLOR: with colour forced on in the terminal layer, the browsers and the chart do emit ANSI
 * colour when allowed, so the absence of escapes under NO_COLOR is a real result. Ink's colour
 * support is read when it is first imported, hence the env set before the dynamic imports.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ReactElement } from 'react';
import type { render as Render } from 'ink-testing-library';
import type { Line, Lines as LinesT } from '../../src/ui/browsers/lines.tsx';
import type { LedgerBrowser as LedgerBrowserT } from '../../src/ui/browsers/ledger-browser.tsx';
import type { EquityChart as EquityChartT } from '../../src/ui/components/equity-chart.tsx';

const saved = { FORCE_COLOR: process.env.FORCE_COLOR, NO_COLOR: process.env.NO_COLOR };
process.env.FORCE_COLOR = '1';
delete process.env.NO_COLOR;
const ESC = '\u001b[';

let render: typeof Render;
let Lines: typeof LinesT;
let LedgerBrowser: typeof LedgerBrowserT;
let EquityChart: typeof EquityChartT;
beforeAll(async () => {
  ({ render } = await import('ink-testing-library'));
  ({ Lines } = await import('../../src/ui/browsers/lines.tsx'));
  ({ LedgerBrowser } = await import('../../src/ui/browsers/ledger-browser.tsx'));
  ({ EquityChart } = await import('../../src/ui/components/equity-chart.tsx'));
});
afterEach(() => { delete process.env.NO_COLOR; });
afterAll(() => {
  for (const [k, v] of Object.entries(saved)) if (v === undefined) delete process.env[k]; else process.env[k] = v;
});

const text = (el: ReactElement): string => {
  const r = render(el);
  const f = r.lastFrame() ?? '';
  r.unmount();
  return f;
};

const lines: Line[] = [{ text: 'title', tone: 'title' }, { text: '› row', tone: 'selected' }, { text: '✗ bad', tone: 'bad' }, { text: 'ok', tone: 'good' }];
const verify = { ok: false, entries: 0, first_bad: { seq: 0, code: 'I9' as const, reason: 'x' }, head: null };

describe('NO_COLOR', () => {
  it('colour allowed: tones and the chart are coloured', () => {
    expect(text(<Lines lines={lines} width={40} height={4} color />)).toContain(ESC);
    expect(text(<EquityChart values={[1, 2, 3, 2, 4]} width={30} height={3} label="eq" />)).toContain(ESC);
    expect(text(<LedgerBrowser entries={[]} cursor={0} verify={verify} width={60} height={5} />)).toContain(ESC);
  });

  it('NO_COLOR set: the same frames with no escape codes and the same text', () => {
    const coloured = text(<Lines lines={lines} width={40} height={4} color />);
    process.env.NO_COLOR = '1';
    expect(text(<EquityChart values={[1, 2, 3, 2, 4]} width={30} height={3} label="eq" />)).not.toContain(ESC);
    expect(text(<LedgerBrowser entries={[]} cursor={0} verify={verify} width={60} height={5} />)).not.toContain(ESC);
    const plain = text(<Lines lines={lines} width={40} height={4} color={false} />);
    expect(plain).not.toContain(ESC);
    // eslint-disable-next-line no-control-regex
    expect(coloured.replace(/\u001b\[[0-9;]*m/g, '')).toBe(plain);
    expect(plain.split('\n')[1]).toBe('› row');
  });
});
