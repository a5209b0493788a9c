/* eslint-disable no-control-regex -- the assertions look for control characters */
import { describe, expect, it } from 'vitest';
import { safeDeep, safeMarkdown, safeTerminalChunk, safeText } from '../../src/core/safe-text.ts';

// Every byte a terminal acts on, or that reorders what a reader sees: ESC, the C1 range, bidi controls.
const HOSTILE = /[\u001b\u0080-\u009f\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]/u;

describe('safeText', () => {
  it('removes OSC 52 (clipboard) and OSC 0 (title) whole, keeping the text around them', () => {
    expect(safeText('buy\u001b]52;c;aGVsbG8=\u0007 when\u001b]0;pwned\u001b\\ rsi < 30')).toBe('buy when rsi < 30');
  });
  it('removes CSI sequences and two-byte escapes; shows the C1 introducers of 8-bit ones as \\u escapes (inert text)', () => {
    expect(safeText('a\u001b[31mred\u001b[0m b\u009b2Jc \u001bce')).toBe('ared b\\u009b2Jc e');
  });
  it('removes an unterminated OSC string with its payload', () => {
    expect(safeText('ok \u001b]52;c;AAAA')).toBe('ok ');
  });
  it('removes C0 controls and DEL, shows bidi overrides, isolates, zero-width and C1 characters as \\u escapes, keeps tabs and newlines', () => {
    expect(safeText('x\u202eevil\u202c\u2066y\u2069\u200b\u0007\u0085\u007f\tz\nw')).toBe('x\\u202eevil\\u202c\\u2066y\\u2069\\u200b\\u0085\tz\nw');
  });
  it('keeps a JSON line valid and its value exact: a bidi character in a string becomes its own JSON escape', () => {
    const line = JSON.stringify({ name: 'a\u202eb\u0085c', esc: '\u001b]0;t\u0007' });
    expect(JSON.parse(safeText(line))).toEqual({ name: 'a\u202eb\u0085c', esc: '\u001b]0;t\u0007' });
    expect(safeText(line)).not.toMatch(HOSTILE);
  });
  it('turns \\r\\n and a lone \\r into newlines for a terminal', () => {
    expect(safeText('a\r\nb\rc')).toBe('a\nb\nc');
  });
  it('returns clean text unchanged (the same string)', () => {
    const s = 'sma(10) crosses above sma(50) — ✓ 12.3% ░█';
    expect(safeText(s)).toBe(s);
  });
});

describe('safeMarkdown', () => {
  it('makes a lone \\r a space, so a reply cannot start a heading line', () => {
    expect(safeMarkdown('> fine.\r# Verdict: PROMOTED\r\nnext')).toBe('> fine. # Verdict: PROMOTED\nnext');
  });
});

describe('safeDeep', () => {
  it('cleans every string in a nested value, keys included, and leaves numbers alone', () => {
    expect(safeDeep({ a: ['x\u001b]0;t\u0007y', 3], 'k\u202e': { b: null, c: 'ok' } })).toEqual({ a: ['xy', 3], 'k\\u202e': { b: null, c: 'ok' } });
  });
});

describe('safeTerminalChunk', () => {
  it('keeps the renderer’s own cursor, erase, colour and mode sequences', () => {
    const own = '\u001b[?2026h\u001b[2K\u001b[1A\u001b[G\u001b[31mred\u001b[39m\u001b[?25l\u001b[>1u\n\u001b[?2026l';
    expect(safeTerminalChunk(own)).toBe(own);
  });
  it('drops OSC, DSR/DA/window-report requests, C1 and bidi from a frame', () => {
    const frame = '\u001b[2Kidea \u001b]52;c;aGk=\u0007\u001b[6n\u001b[c\u001b[21t\u009b6n\u202eevil\u001b]8;;http://x\u001b\\link\r|';
    const out = safeTerminalChunk(frame);
    expect(out).toBe('\u001b[2Kidea evillink|');
    expect(out.replace(/\u001b\[2K/g, '')).not.toMatch(HOSTILE);
  });
});
