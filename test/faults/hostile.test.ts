/**
 * Hostile input, end to end through real `gauntlet` processes: terminal escapes and bidi overrides
 * from every outside source (files in the working directory, model replies and server metadata
 * through the fake Ollama server, spec names, rule text, CSV fields), 10 MB replies, a version-0
 * store with a cut ledger, edited records, an export aimed at the store, FIFOs, /dev/zero and a 2 GiB
 * file, planted symlinks, a model that drips a token every 2 s, and terminal decisions under
 * --approve all (a Director that ranks kill first; a promotion), which no automatic approval takes. `npm run faults` runs it at full size (10 MB replies, three sessions, the
 * 2-second drip); `npm test` runs the model-reply, console, version-0, export and kill cases (the
 * others have fast unit twins: reply-caps, record-binding, input-file, output-file tests).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StoreData } from '../../src/core/store/schema.ts';
import { FAKE_MODEL, REVIEW_REPLY, directorReply, roleResponder, scenarios, startFakeOllama, type FakeOllama, type RoleResponder } from '../support/fake-ollama.ts';
import { GOOD_DRAFT } from '../support/fake-ollama-server.ts';
import { EDGE_IDEA, EDGE_MARKET, ROOT, cli, inproc, readStoreFile, workspace } from '../research/helpers.ts';
import { FULL } from './harness.ts';
import { Tally } from './tally.ts';
import { tmuxAvailable } from '../e2e/tmux.ts';

/* eslint-disable no-control-regex -- the assertions look for control characters */
/** What must never reach a terminal or a dossier: ESC, the C1 range, bidi controls and isolates. */
const HOSTILE_BYTES = /[\u001b\u0080-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/u;
/** A payload carrying every trick: OSC 0 (title), OSC 52 (clipboard), CSI 6n (terminal answers on stdin), a C1 CSI, RLO. */
const EVIL = '\u001b]0;PWNED\u0007\u001b]52;c;UFdORUQ=\u0007\u001b[6n\u009b2J\u202eDETCELFER';

const ws = workspace('faults-hostile');
const tally = new Tally('hostile');
afterAll(() => { tally.report(); ws.cleanup(); });
const market = join(ws.dir, 'market');
const REPLY_BYTES = FULL ? 10_000_000 : 1_000_000;
const BIG_SESSIONS = FULL ? 3 : 1;

/** No hostile byte in `text`; counts one checked output. */
function clean(label: string, text: string): void {
  tally.faults += 1;
  tally.checked += 1;
  const m = HOSTILE_BYTES.exec(text);
  expect(m === null ? null : `${label}: U+${m[0].codePointAt(0)!.toString(16).padStart(4, '0')} at ${m.index}: …${JSON.stringify(text.slice(Math.max(0, m.index - 40), m.index + 40))}…`).toBeNull();
}

let fake: FakeOllama;
let model: RoleResponder = roleResponder({}, {});
beforeAll(async () => {
  expect((await inproc(['data', 'synth', ...EDGE_MARKET, '--out', market], ws.env)).code).toBe(0);
  fake = await startFakeOllama({ version: `0.12.3${EVIL}`, respond: (body) => model.respond(body) });
}, 120_000);
afterAll(() => fake?.close());

const modelEnv = (extra: Record<string, string> = {}): Record<string, string> => ({ ...ws.env, OLLAMA_HOST: fake.url, ...extra });
/** Sessions run to a verdict (a promotion pre-approved, as a batch run does); the approval case below uses plain `all`. */
const research = (db: string, extra: string[] = [], env = modelEnv(), approve = 'all+promote') =>
  cli(['research', EDGE_IDEA, '--universe', market, '--approve', approve, '--db', db, '--model', FAKE_MODEL.name, ...extra], env);

describe('hostile text from every outside source reaches no terminal and no dossier', () => {
  const db = join(ws.dir, 'hostile-db');

  it('model replies, server metadata and error text: CLI output (human and --json) and the dossier are clean; a lone \\r starts no heading', async () => {
    model = roleResponder({
      director: [{ kind: 'http_error', status: 500, error: `boom${EVIL}` }],
    }, {
      translator: () => scenarios.valid({ ...GOOD_DRAFT, name: `evil${EVIL}`, summary: `summary${EVIL}` }),
      director: (body) => scenarios.valid(directorReply(body, (id) => ({ justification: `justify ${id}${EVIL}`, expected_information_gain: `gain${EVIL}` }))),
      reviewer: () => scenarios.valid({ ...REVIEW_REPLY, diagnosis: `Looks fine.\r# Verdict: PROMOTED\r${EVIL}` }),
    });
    const human = await research(db);
    expect(human.code, human.stderr).toBe(0);
    clean('research stdout', human.stdout);
    clean('research stderr', human.stderr);
    const json = await research(join(ws.dir, 'hostile-json'), ['--json']);
    expect(json.code, json.stderr).toBe(0);
    clean('research --json stdout', json.stdout);
    clean('research --json stderr', json.stderr);
    // The hostile text was really there to be cleaned: the store keeps the model's words as written.
    expect(JSON.stringify(readStoreFile(db)!.reviews)).toContain('\\u001b]0;PWNED');

    const spec = readStoreFile(db)!.specs[0]!.id;
    const out = join(ws.dir, 'dossier.md');
    const exp = await cli(['export', spec, '--db', db, '--out', out], ws.env);
    expect(exp.code, exp.stderr).toBe(0);
    const md = readFileSync(out, 'utf8');
    clean('dossier', md);
    clean('export output', exp.stdout + exp.stderr);
    expect(md).not.toMatch(/^# Verdict/m);
    expect(md).not.toContain('\r');
    for (const cmd of [['ledger', '--db', db], ['ledger', '--db', db, '--json'], ['sessions', '--db', db], ['library', '--db', db]]) {
      const r = await cli(cmd, ws.env);
      clean(cmd.join(' '), r.stdout + r.stderr);
    }
  }, 240_000);

  it.runIf(FULL)('spec names, rule text, parse errors, idea files and CSV fields: CLI output is clean', async () => {
    const specFile = join(ws.dir, 'evil-spec.json');
    const base = JSON.parse(readFileSync(join(ROOT, 'specs', 'rsi-reversion.json'), 'utf8')) as Record<string, unknown>;
    writeFileSync(specFile, JSON.stringify({ ...base, name: `evil${EVIL}`, idea: `idea${EVIL}` }));
    const csv = join(ws.dir, 'evil.csv');
    writeFileSync(csv, `date,open,high,low,close,volume\n2020-01-02${EVIL},1,2,0.5,1.5,100\n2020-01-03,1,2,0.5,x${EVIL},100\n`);
    const ideaFile = join(ws.dir, 'idea.txt');
    writeFileSync(ideaFile, `buy when rsi(14) < 30${EVIL}; sell when rsi(14) > 70\n`);
    const runs: string[][] = [
      ['spec', 'validate', specFile], ['spec', 'show', specFile], ['spec', 'validate', specFile, '--json'],
      ['translate', `buy when rsi(14) < 30 ${EVIL}`], ['translate', `buy when ${EVIL} > 3`],
      ['data', 'check', csv], ['data', 'check', csv, '--json'],
      ['research', ideaFile, '--universe', market, '--approve', 'none', '--db', join(ws.dir, 'idea-db'), '--offline'],
      ['research', `buy when rsi(14) < 30${EVIL}`, '--universe', market, '--approve', 'none', '--db', join(ws.dir, 'idea-db2'), '--offline'],
      ['backtest', '--spec', specFile, '--data', csv],
    ];
    for (const args of runs) {
      const r = await cli(args, ws.env);
      expect(r.stderr, args.join(' ')).not.toMatch(/^\s+at .+:\d+:\d+\)?$/m);
      clean(args.slice(0, 2).join(' '), r.stdout + r.stderr);
    }
  }, 240_000);

  it.skipIf(!tmuxAvailable())('the console, opened in a folder holding a hostile ideas/idea.txt, writes neither title nor clipboard (a plain cat does: the check can fail)', async () => {
    const dir = join(ws.dir, 'console-cwd');
    mkdirSync(join(dir, 'ideas'), { recursive: true });
    writeFileSync(join(dir, 'ideas', 'idea.txt'), `buy when rsi(14) < 30 ${EVIL}\n`);
    const shot = (argv: string[]): { title: string; buffers: string; screen: string } => {
      const sock = `gauntlet-hostile-${process.pid}-${argv.length}`;
      const conf = join(ws.dir, 'tmux.conf');
      writeFileSync(conf, 'set -g status off\nset -g remain-on-exit on\nset -g set-clipboard on\nset -g allow-rename on\nset -g set-titles on\n');
      const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: ws.dir, LANG: 'C.UTF-8', TMUX_TMPDIR: ws.dir, TERM: 'xterm-256color' };
      const tmux = (args: string[]): string => execFileSync('tmux', ['-L', sock, '-f', conf, ...args], { env, encoding: 'utf8' });
      tmux(['new-session', '-d', '-s', 'h', '-x', '120', '-y', '40', '-c', dir, argv.map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ')]);
      try {
        let screen = '';
        for (let i = 0; i < 100 && !/idea\.txt/.test(screen); i++) {
          spawnSync('sleep', ['0.2']);
          screen = tmux(['capture-pane', '-p', '-t', 'h']);
        }
        spawnSync('sleep', ['0.5']);
        return { title: tmux(['display-message', '-p', '-t', 'h', '#{pane_title}']).trim(), buffers: tmux(['list-buffers']).trim(), screen: tmux(['capture-pane', '-p', '-t', 'h']) };
      } finally {
        tmux(['kill-server']);
      }
    };
    const control = shot(['sh', '-c', 'cat ideas/idea.txt; echo; ls ideas; sleep 30']);
    expect(control.title).toBe('PWNED');
    const consoleShot = shot([process.execPath, join(ROOT, 'bin', 'gauntlet.js'), '--offline', '--db', join(dir, '.gauntlet'), '--universe', market]);
    expect(consoleShot.screen).toMatch(/idea\.txt/);
    expect(consoleShot.title).not.toBe('PWNED');
    expect(consoleShot.buffers).toBe('');
    clean('console screen', consoleShot.screen);
    expect(consoleShot.screen).not.toContain('DETCELFER'.split('').reverse().join(''));
  }, 120_000);
});

describe('size, store integrity and files', () => {
  it.runIf(FULL)(`${(REPLY_BYTES / 1e6).toFixed(0)} MB model replies (${BIG_SESSIONS} session(s)) leave store.json under 1 MB, every transcript record in it under 16 KB (bodies over 4 KB are artifacts), no artifact over 256 KiB; each session ends`, async () => {
    const db = join(ws.dir, 'big-db');
    const piece = Array.from({ length: 2000 }, (_, i) => ((i * 7919) % 1000).toString(36)).join('-');
    const big = (): { kind: 'reply'; chunks: string[] } => ({ kind: 'reply', chunks: ['{"summary": "', ...Array.from({ length: Math.ceil(REPLY_BYTES / piece.length) }, () => piece)] });
    model = roleResponder({}, { translator: big, director: big, reviewer: big });
    for (let i = 0; i < BIG_SESSIONS; i++) {
      const t0 = Date.now();
      const r = await research(db, ['--seed', String(i + 1)]);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stderr).toMatch(/a reply longer than 65536 characters/);
      tally.faults += 1;
      expect(Date.now() - t0).toBeLessThan(120_000);
    }
    const size = statSync(join(db, 'store.json')).size;
    // Transcript bodies over 4 KB are artifacts, each capped at 256 KiB (transcript-bodies.ts).
    const bodies = readdirSync(join(db, 'artifacts'), { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.txt')).map((f) => statSync(join(db, 'artifacts', f)).size);
    const total = bodies.reduce((a, b) => a + b, 0);
    // What is left of the transcripts in store.json: small records naming their bodies by hash.
    const records = readStoreFile(db)!.transcripts.map((t) => JSON.stringify(t, null, 2).length);
    const transcripts = records.reduce((a, b) => a + b, 0);
    console.log(`hostile: ${BIG_SESSIONS} session(s) with ${REPLY_BYTES} B replies → store.json ${size} B (${records.length} transcript records, ${transcripts} B of it, the largest ${Math.max(...records)} B); ${bodies.length} transcript body artifacts, ${total} B in all, the largest ${Math.max(0, ...bodies)} B`);
    // The rest of store.json is the sessions' own records (runs, verdicts, ledger), as without the big replies.
    expect(size).toBeLessThan(1_000_000);
    expect(Math.max(...records)).toBeLessThan(16_384);
    expect(bodies.length).toBeGreaterThan(0);
    expect(Math.max(...bodies)).toBeLessThanOrEqual(262_144);
    expect((await cli(['ledger', '--verify', '--db', db], ws.env)).code).toBe(0);
  }, 600_000);

  it('a version-0 store with a truncated ledger exits 3 and is left byte for byte', async () => {
    const db = join(ws.dir, 'v0-db');
    expect((await cli(['research', EDGE_IDEA, '--universe', market, '--approve', 'all+promote', '--db', db, '--offline', '--budget', '100'], ws.env)).code).toBe(0);
    const file = join(db, 'store.json');
    const raw = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown> & { ledger: unknown[] };
    const { sessions: _s, library: _l, ...v1 } = raw;
    writeFileSync(file, JSON.stringify({ ...v1, version: 0, ledger: raw.ledger.slice(0, -2) }, null, 2));
    const before = new Map(readdirSync(db).map((n) => [n, statSync(join(db, n)).isFile() ? readFileSync(join(db, n), 'utf8') : '']));
    for (const args of [['research', EDGE_IDEA, '--universe', market, '--approve', 'all+promote', '--db', db, '--offline'], ['ledger', '--verify', '--db', db]]) {
      const r = await cli(args, ws.env);
      expect([args[0], r.code]).toEqual([args[0], args[0] === 'ledger' ? 1 : 3]);
      expect(r.stderr).toMatch(/entries were removed from the end of the ledger/);
      tally.faults += 1;
    }
    expect(new Map(readdirSync(db).map((n) => [n, statSync(join(db, n)).isFile() ? readFileSync(join(db, n), 'utf8') : '']))).toEqual(before);
  }, 120_000);

  it.runIf(FULL)('edited verdict, status, spec and transcript: ledger --verify exits 1 naming the record, and replay does not say identical', async () => {
    const src = join(ws.dir, 'hostile-db');
    expect(existsSync(join(src, 'store.json'))).toBe(true);
    const session = readStoreFile(src)!.sessions[0]!.id;
    // A transcript body over 4096 bytes (every request is) lives in an artifact the record names by hash.
    const bodyFile = (d: StoreData, db: string): string => {
      const t = d.transcripts.find((x) => x.session === session && x.role === 'reviewer' && typeof x.prompt !== 'string')!;
      const ref = (t.prompt as { artifact: { hash: string } }).artifact;
      return join(db, 'artifacts', ref.hash.slice(0, 2), `${ref.hash}.txt`);
    };
    const record = new RegExp(`^sessions/${session}: `, 'm');
    const edits: Array<[string, (d: StoreData, db: string) => void, RegExp]> = [
      ['verdict', (d) => { const g = d.gates.find((x) => x.session === session)!; (g as { verdict: string }).verdict = g.verdict === 'PASS' ? 'FAIL' : 'PASS'; }, record],
      ['status', (d) => { const s = d.sessions.find((x) => x.id === session)!; s.status = s.status === 'PROMOTED' ? 'DEAD' : 'PROMOTED'; }, record],
      ['spec', (d) => { (d.specs[0]!.spec as { name: string }).name = 'renamed'; }, /^specs\/[0-9a-f]{64}: the stored spec no longer hashes to its id/m],
      ['transcript', (d) => {
        const t = d.transcripts.find((x) => x.session === session && x.role === 'reviewer' && typeof x.response === 'string' && x.response.includes('Looks fine'))!;
        t.response = (t.response as string).replace('Looks fine', 'Looks great');
      }, record],
      // The same size, another byte: only a re-hash tells.
      ['transcript artifact', (d, db) => { const f = bodyFile(d, db); const b = readFileSync(f); b.writeUInt8(b.readUInt8(b.length - 2) ^ 1, b.length - 2); writeFileSync(f, b); }, /^.*artifacts\/[0-9a-f]{2}\/[0-9a-f]{64}\.txt: artifact content does not match its hash/m],
      ['transcript artifact removed', (d, db) => { rmSync(bodyFile(d, db)); }, /^.*artifacts\/[0-9a-f]{2}\/[0-9a-f]{64}\.txt: artifact is missing/m],
    ];
    for (const [name, edit, reported] of edits) {
      const db = join(ws.dir, `edited-${name.replaceAll(' ', '-')}`);
      cpSync(src, db, { recursive: true });
      const file = join(db, 'store.json');
      const data = JSON.parse(readFileSync(file, 'utf8')) as StoreData;
      edit(data, db);
      writeFileSync(file, JSON.stringify(data, null, 2));
      const v = await cli(['ledger', '--verify', '--db', db], ws.env);
      expect([name, v.code]).toEqual([name, 1]);
      expect(v.stderr).toMatch(reported);
      const rp = await cli(['research', '--replay', session, '--db', db, '--universe', market], ws.env);
      expect([name, rp.code]).toEqual([name, 1]);
      expect(rp.stdout + rp.stderr).not.toMatch(/identical, byte for byte/);
      tally.faults += 2;
    }
  }, 300_000);

  it.runIf(FULL)('ledger --verify beside live sessions never reports a false tamper (it reads a consistent snapshot)', async () => {
    const db = join(ws.dir, 'live-db');
    const verifies: Array<Promise<{ code: number | null; stderr: string }>> = [];
    let done = false;
    // Sessions one after another on one store, while verifies start every 100 ms (each a process of its own).
    const sessions = (async () => {
      for (let i = 0; i < (FULL ? 4 : 1); i++) {
        expect((await cli(['research', EDGE_IDEA, '--universe', market, '--approve', 'all+promote', '--db', db, '--offline', '--seed', String(i + 3)], ws.env)).code).toBe(0);
      }
      done = true;
    })();
    const rounds = FULL ? 60 : 10;
    while (!done && verifies.length < rounds) {
      if (existsSync(join(db, 'ledger.head'))) verifies.push(cli(['ledger', '--verify', '--db', db], ws.env));
      await new Promise((r) => setTimeout(r, 100));
    }
    await sessions;
    const results = await Promise.all(verifies);
    console.log(`hostile: ${results.length} ledger --verify runs during live sessions`);
    expect(results.length).toBeGreaterThan(0);
    for (const r of results) expect([r.code, r.stderr]).toEqual([0, '']);
    tally.faults += results.length;
  }, 300_000);

  it('export onto the store (store.json, or anything inside it) is refused with or without --force', async () => {
    const db = join(ws.dir, 'hostile-db');
    const spec = readStoreFile(db)!.specs[0]!.id;
    const before = readFileSync(join(db, 'store.json'), 'utf8');
    for (const out of [join(db, 'store.json'), join(db, 'ledger.head'), join(db, 'artifacts', 'new.md')]) {
      for (const force of [[], ['--force']]) {
        const r = await cli(['export', spec, '--db', db, '--out', out, ...force], ws.env);
        expect(r.code).toBe(2);
        expect(r.stderr).toContain('is inside the store');
        tally.faults += 1;
      }
    }
    expect(readFileSync(join(db, 'store.json'), 'utf8')).toBe(before);
    expect(existsSync(join(db, 'artifacts', 'new.md'))).toBe(false);
  }, 120_000);

  it.runIf(FULL)('a FIFO, /dev/zero and a 2 GiB file get a clear error in bounded time and memory', async () => {
    const fifo = join(ws.dir, 'in.fifo');
    execFileSync('mkfifo', [fifo]);
    const huge = join(ws.dir, 'huge.csv');
    writeFileSync(huge, '');
    truncateSync(huge, 2 * 1024 ** 3);
    const cases: Array<[string[], RegExp]> = [];
    for (const [f, what] of [[fifo, /is a named pipe \(FIFO\), not a regular file/], ['/dev/zero', /is a device, not a regular file/], [huge, /2147483648 bytes, more than the 512 MiB/]] as const) {
      cases.push([['spec', 'validate', f], f === huge ? /2147483648 bytes, more than the 16 MiB/ : what]);
      cases.push([['data', 'check', f], what]);
      cases.push([['backtest', '--spec', join(ROOT, 'specs', 'rsi-reversion.json'), '--data', f], what]);
    }
    cases.push([['research', fifo, '--offline', '--approve', 'none', '--db', join(ws.dir, 'fifo-db')], /is a named pipe \(FIFO\)/]);
    for (const [args, expected] of cases) {
      const t0 = Date.now();
      // 200 MB of heap at most: reading any of these whole would die, not pass.
      const r = await cli(args, { ...ws.env, NODE_OPTIONS: '--max-old-space-size=200' });
      const ms = Date.now() - t0;
      // `data check` reports an unreadable file as a finding (exit 1, its documented contract); the rest refuse (exit 2).
      expect([args.join(' '), r.code]).toEqual([args.join(' '), args[1] === 'check' ? 1 : 2]);
      expect(r.stdout + r.stderr).toMatch(expected);
      expect(r.stdout + r.stderr).not.toMatch(/internal error|^\s+at /m);
      expect(ms).toBeLessThan(20_000);
      tally.faults += 1;
    }
  }, 300_000);

  it.runIf(FULL)('planted symlinks write nothing outside: data synth over a linked universe.json, a store whose artifacts folder is a link', async () => {
    const outside = join(ws.dir, 'outside');
    mkdirSync(outside, { recursive: true });
    writeFileSync(join(outside, 'victim.txt'), 'untouched\n');
    const out = join(ws.dir, 'synth-out');
    mkdirSync(out, { recursive: true });
    symlinkSync(join(outside, 'victim.txt'), join(out, 'universe.json'));
    const r = await cli(['data', 'synth', '--symbols', '2', '--sectors', '1', '--days', '30', '--out', out, '--force'], ws.env);
    expect(r.code, r.stderr).toBe(0);
    expect(readFileSync(join(outside, 'victim.txt'), 'utf8')).toBe('untouched\n');
    const db = join(ws.dir, 'linked-store');
    mkdirSync(db, { recursive: true });
    symlinkSync(outside, join(db, 'artifacts'));
    writeFileSync(join(outside, '.x.1.0123456789ab.tmp'), 'a temp-looking file the sweep must not delete\n');
    const s = await cli(['research', EDGE_IDEA, '--universe', market, '--approve', 'all+promote', '--db', db, '--offline'], ws.env);
    expect(s.code).toBe(3);
    expect(s.stderr).toMatch(/artifacts is a symbolic link/);
    expect(readdirSync(outside).sort()).toEqual(['.x.1.0123456789ab.tmp', 'victim.txt']);
    tally.faults += 2;
  }, 120_000);
});

describe('models that misbehave over time', () => {
  it.runIf(FULL)('a model dripping one token every 2 s is ended by the whole-call deadline; the session finishes on the rules', async () => {
    const drip = FULL ? 2000 : 400;
    const call = FULL ? 5000 : 1200;
    model = roleResponder({}, {
      translator: () => ({ kind: 'reply', chunks: ['{"summary": "'], endless: 'a', delayMs: drip }),
      director: () => ({ kind: 'reply', chunks: ['{"order": ['], endless: ' ', delayMs: drip }),
      reviewer: () => ({ kind: 'reply', chunks: ['{"diagnosis": "'], endless: 'b', delayMs: drip }),
    });
    const t0 = Date.now();
    const r = await research(join(ws.dir, 'drip-db'), ['--budget', '100'], modelEnv({ GAUNTLET_OLLAMA_TIMEOUTS: `idle=${drip * 3},call=${call}` }));
    const ms = Date.now() - t0;
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain(`whole-call timeout after ${call} ms`);
    const calls = model.calls.translator + model.calls.director + model.calls.reviewer;
    console.log(`hostile: drip every ${drip} ms, call deadline ${call} ms: ${calls} calls, session ${ms} ms`);
    // Every call ended by its deadline (plus start-up), never by the stream: far below one drip per character.
    expect(ms).toBeLessThan(calls * (call + drip) + 30_000);
    const data = readStoreFile(join(ws.dir, 'drip-db'))!;
    expect(data.sessions[0]!.status).not.toBe('RUNNING');
    tally.faults += 1;
  }, 300_000);

  it('--approve all never records a terminal decision without a person: a kill-first Director freezes, a promotion suspends; all+promote still never kills', async () => {
    const killFirst = (): RoleResponder => roleResponder({}, {
      translator: () => scenarios.valid(GOOD_DRAFT),
      director: (body) => {
        const r = directorReply(body) as { order: string[]; notes: unknown[] };
        const kill = r.order.find((id) => id === 'kill' || id.startsWith('kill'));
        return scenarios.valid(kill === undefined ? r : { ...r, order: [kill, ...r.order.filter((x) => x !== kill)] });
      },
      reviewer: () => scenarios.valid(REVIEW_REPLY),
    });
    const plain = (): RoleResponder => roleResponder({}, {
      translator: () => scenarios.valid(GOOD_DRAFT),
      director: (body) => scenarios.valid(directorReply(body)),
      reviewer: () => scenarios.valid(REVIEW_REPLY),
    });
    const cases: Array<[string, () => RoleResponder, string, string]> = [
      ['kill-db', killFirst, 'all', 'FROZEN'],
      ['kill-promote-db', killFirst, 'all+promote', 'FROZEN'],
      ['promote-db', plain, 'all', 'SUSPENDED'],
    ];
    for (const [name, responder, approve, status] of cases) {
      model = responder();
      const db = join(ws.dir, name);
      const r = await research(db, ['--json'], modelEnv(), approve);
      expect(r.code, r.stderr).toBe(0);
      const data = readStoreFile(db)!;
      const summary = JSON.parse(r.stdout.trim().split('\n').at(-1)!) as { status: string; reason: string };
      expect([name, summary.status, data.sessions.map((s) => s.status)]).toEqual([name, status, [status]]);
      // No terminal step was taken for the person: nothing killed, no promotion paid, no holdout opened.
      expect(data.ledger.map((e) => e.action).filter((a) => a === 'status:KILLED' || a === 'promote' || a === 'holdout:open')).toEqual([]);
      expect(data.decisions.filter((d) => d.decision === 'killed')).toEqual([]);
      if (status === 'FROZEN') expect(data.decisions.some((d) => d.note === 'automatic approval never approves kill')).toBe(true);
      else expect(summary.reason).toMatch(/an automatic approval never approves a terminal decision, .* run 'gauntlet resume \S+' to decide it yourself/);
      // And the session replays as it ran: the refused kill is read back as the approval it was.
      const rp = await cli(['research', '--replay', data.sessions[0]!.id, '--db', db, '--universe', market, '--json'], ws.env);
      expect([name, rp.code, rp.stderr]).toEqual([name, 0, '']);
      expect(JSON.parse(rp.stdout)).toMatchObject({ identical: true });
      tally.faults += 1;
    }
  }, 240_000);
});
