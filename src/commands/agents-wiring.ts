import { UserError } from '../core/errors.ts';
import type { Store } from '../core/store/store.ts';
import { storeBodies } from '../core/store/transcript-bodies.ts';
import type { DirectorPort, ReviewerPort, TranscriptSink, TranslatorPort } from '../core/research/ports.ts';
import type { Spec } from '../core/spec/schema.ts';
import { compile } from '../engine/compiler/compile.ts';
import { RulesDirector, RulesReviewer, RulesTranslator } from '../agents/rules/index.ts';
import { modelAgents, modelLabel, ollamaSource, openaiSource, type FallbackNotice, type ModelAgentsOptions } from '../agents/llm/index.ts';
import { resolveOllamaSettings } from '../agents/ollama/config.ts';
import { OllamaError } from '../agents/ollama/errors.ts';
import { OllamaClient, type InstalledModel } from '../agents/ollama/ollama-client.ts';
import { OpenAiClient, SERVER as OPENAI_SERVER } from '../agents/openai/openai-client.ts';
import { MIN_NUM_CTX } from '../agents/ollama/budget.ts';
import { sessionNumCtx } from '../agents/ollama/budget.ts';
import { thinkPolicy } from '../agents/ollama/think.ts';
import type { Timeouts } from '../agents/ollama/transport.ts';
import type { Io } from './io.ts';
import { formatNumber } from '../core/format/numbers.ts';

/**
 * Which agents answer a session: Ollama-backed roles (each falling back to its rules) or the rules
 * alone. The research command and the console both wire their agents through here.
 */

export interface AgentsOptions {
  /** `--offline`: never contact Ollama. */
  offline: boolean;
  /** `--ollama URL` (then OLLAMA_HOST from io.env, then config). */
  ollama?: string;
  /** `--model NAME` (then config). */
  model?: string;
  io: Io;
  /** Where every model call is stored (with `has`, ids already stored are skipped). */
  sink: TranscriptSink & { has?: (id: string) => boolean };
  seed: number;
  signal?: AbortSignal;
  /** Host and model from a config file, below the flags and OLLAMA_HOST. */
  config?: { host?: string; model?: string };
  /** Per-call timeouts; otherwise GAUNTLET_OLLAMA_TIMEOUTS from io.env, otherwise the client's defaults. */
  timeouts?: Partial<Timeouts>;
  /** Told each time a role falls back to its rules during the session (the model failed). */
  onFallback?: (n: FallbackNotice) => void;
  /** Progress before the session: a model load that takes a while says so (and says when it is done). */
  onProgress?: (text: string) => void;
  /** `--llm`: which kind of server (default ollama). */
  llm?: string;
  /** `--base-url URL` for `--llm openai` (then GAUNTLET_OPENAI_BASE_URL, then OPENAI_BASE_URL). */
  baseUrl?: string;
}

export type AgentsStatus =
  | { state: 'offline' }
  | { state: 'ok'; model: string; digest: string }
  | { state: 'down' | 'missing_model' | 'no_structured_output' | 'no_model'; message: string };

export interface Agents {
  translator: TranslatorPort;
  director: DirectorPort;
  reviewer: ReviewerPort;
  status: AgentsStatus;
  /** For a header: `model@digest12`, or `offline — rules`. */
  label: string;
  /** One line for the user when Ollama was asked for and cannot answer (what to do about it); null otherwise. */
  message: string | null;
  /** What the translate record stores as provenance (`rules`, or `ollama:<model>@<digest12>`). */
  provenance: string;
  /** The status line a command prints before the session: who answers, and why. */
  line: string;
  /** The model answering (null on rules). */
  model: string | null;
}

export function rulesAgents(status: AgentsStatus = { state: 'offline' }, message: string | null = null): Agents {
  return {
    translator: new RulesTranslator(),
    director: new RulesDirector(),
    reviewer: new RulesReviewer(),
    status,
    label: 'offline — rules',
    message,
    provenance: 'rules',
    line: message ?? 'agents: rules (offline)',
    model: null,
  };
}

/** Status checks are quick or not at all: a model-less session must not wait on a dead host. */
const STATUS_TIMEOUTS: Partial<Timeouts> = { connectMs: 1_500, firstByteMs: 3_000, idleMs: 3_000 };
const CONTINUES = 'the session continues on the rules agents';

/**
 * Resolves the agents for a session. `--offline` answers with the rules and touches no network.
 * Otherwise one status check (host up, model installed, structured output possible) decides: a
 * model when everything is in place, the rules with a line saying why and what to do when not.
 */
export async function resolveAgents(o: AgentsOptions): Promise<Agents> {
  const choice = serverChoice(o);
  if (choice.kind === 'offline') return rulesAgents();
  const timeouts = { ...parseTimeouts(o.io.env.GAUNTLET_OLLAMA_TIMEOUTS), ...o.timeouts };
  if (choice.kind === 'openai') return resolveOpenAi(o, choice.baseUrl, timeouts);
  const { settings } = choice;
  const { host } = settings;
  const client = new OllamaClient({ host, timeouts });
  const statusOpts = { timeouts: { ...STATUS_TIMEOUTS, ...o.timeouts }, ...(o.signal === undefined ? {} : { signal: o.signal }) };

  let model = settings.model;
  let picked: string | null = null;
  if (model === null) {
    let installed: InstalledModel[];
    try {
      installed = await client.listModels(statusOpts);
    } catch (e) {
      if (!(e instanceof OllamaError) || e.kind === 'aborted') throw e;
      return down(`${e.message}: ${CONTINUES} (start Ollama with \`ollama serve\`, or pass --offline)`);
    }
    let choice: string | null = null;
    try {
      choice = await firstThatCompletes(client, pickModels(installed), statusOpts);
    } catch (e) {
      if (!(e instanceof OllamaError) || e.kind === 'aborted') throw e;
      return down(`Ollama at ${host} did not answer its status check (${e.message}): ${CONTINUES}`);
    }
    if (choice === null) {
      const cloud = installed.filter((m) => m.remoteHost !== null).length;
      const message = `no local chat model is installed at ${host}: run \`ollama pull qwen3:8b\` (or any chat model) and pass --model NAME` +
        `${cloud > 0 ? ` (cloud models are never chosen automatically: name one with --model to use it)` : ''}; ${CONTINUES}`;
      return rulesAgents({ state: 'no_model', message }, message);
    }
    model = choice;
    picked = `no --model given: using ${choice}, the most recently installed local chat model (pass --model NAME to choose)`;
  }

  let status;
  try {
    status = await client.status(model, statusOpts);
  } catch (e) {
    // An answer that is not Ollama's (an HTTP error from a proxy, a broken stream): unusable all the same.
    if (!(e instanceof OllamaError) || e.kind === 'aborted') throw e;
    return down(`Ollama at ${host} did not answer its status check (${e.message}): ${CONTINUES}`);
  }
  if (status.state === 'down') return down(`${status.message}: ${CONTINUES} (start Ollama with \`ollama serve\`, or pass --offline)`);
  if (status.state !== 'ok') {
    const message = `${status.message}; ${CONTINUES}`;
    return rulesAgents({ state: status.state, message }, message);
  }

  const { facts } = status;
  const think = thinkPolicy(facts, status.version, model);
  const callSettings = { numCtx: sessionNumCtx(facts.contextLength), keepAlive: KEEP_ALIVE, noTruncate: true, ...(think === undefined ? {} : { think }) };

  // Load the model now, once, under the first-byte timeout: a slow load is paid here, with progress, not on a role's first call.
  const slow = setTimeout(() => o.onProgress?.(`loading ${model} into memory (the first call after Ollama starts can take a minute)…`), LOAD_NOTICE_MS);
  let loadMs: number;
  try {
    loadMs = await client.preload(model, KEEP_ALIVE, { timeouts, ...(o.signal === undefined ? {} : { signal: o.signal }) });
  } catch (e) {
    if (!(e instanceof OllamaError) || e.kind === 'aborted') throw e;
    const hint = e.kind === 'timeout' ? ' (a larger model needs longer: raise first_byte in GAUNTLET_OLLAMA_TIMEOUTS, e.g. first_byte=300000)' : '';
    return down(`model ${model} did not load: ${e.message}${hint}; ${CONTINUES}`);
  } finally {
    clearTimeout(slow);
  }
  if (loadMs >= LOAD_NOTICE_MS) o.onProgress?.(`loaded ${model} in ${formatNumber(loadMs / 1000, 'duration')} s`);

  const server = { kind: 'ollama' as const, version: status.version, remote_host: facts.remoteHost, keep_alive: KEEP_ALIVE };
  const roles = modelRoles({ client, model, seed: o.seed, sink: o.sink, timeouts, settings: callSettings, server, ...(o.onFallback === undefined ? {} : { onFallback: o.onFallback }) });
  const label = `${modelLabel(model, status.digest)}${facts.remoteHost === null ? '' : ' (cloud)'}`;
  const cloud = facts.remoteHost === null ? '' : `\nwarning: ${model} is an Ollama cloud model: it runs at ${facts.remoteHost}, so the ideas and prompts leave this machine`;
  return {
    ...roles,
    status: { state: 'ok', model, digest: status.digest },
    label,
    message: null,
    provenance: ollamaSource(model, status.digest),
    line: `agents: ollama ${label} at ${host} (Ollama ${status.version}); a role whose call fails answers with its rules${cloud}${picked === null ? '' : `\n${picked}`}`,
    model,
  };

  function down(message: string): Agents {
    return rulesAgents({ state: 'down', message }, message);
  }
}

/** The server flags as the commands parse them (`research` and the console share them). */
export type ServerFlags = Pick<AgentsOptions, 'offline' | 'ollama' | 'model' | 'llm' | 'baseUrl'>;

/** The parsed `--offline`, `--ollama`, `--model`, `--llm` and `--base-url` values, unset ones left out. */
export function serverFlags(values: { offline: boolean; ollama?: string; model?: string; llm?: string; 'base-url'?: string }): ServerFlags {
  return {
    offline: values.offline,
    ...(values.ollama === undefined ? {} : { ollama: values.ollama }),
    ...(values.model === undefined ? {} : { model: values.model }),
    ...(values.llm === undefined ? {} : { llm: values.llm }),
    ...(values['base-url'] === undefined ? {} : { baseUrl: values['base-url'] }),
  };
}

/** Which server the flags and the environment name, checked; see serverChoice. */
export type ServerChoice =
  | { kind: 'offline' }
  | { kind: 'ollama'; settings: ReturnType<typeof resolveOllamaSettings> }
  | { kind: 'openai'; baseUrl: string };

/**
 * The server the session's flags name (`--offline`, `--llm`, `--ollama`, `--base-url` and their
 * environment variables), checked without touching the network. Commands call it before they open
 * the store, so a refused flag leaves nothing written; resolveAgents calls it again to connect.
 */
export function serverChoice(o: Pick<AgentsOptions, 'offline' | 'llm' | 'ollama' | 'model' | 'config' | 'baseUrl'> & { io: Pick<Io, 'env'> }): ServerChoice {
  if (o.offline) return { kind: 'offline' };
  const llm = o.llm ?? 'ollama';
  if (llm === 'openai') return { kind: 'openai', baseUrl: openAiBaseUrl(o.baseUrl, o.io.env) };
  if (llm !== 'ollama') throw new UserError(`gauntlet: --llm "${llm}" is not a server kind: give ollama (the default) or openai (an OpenAI-compatible server: LM Studio, llama.cpp, vLLM)`, 2);
  try {
    return { kind: 'ollama', settings: resolveOllamaSettings({ flagHost: o.ollama, flagModel: o.model, env: o.io.env, config: o.config }) };
  } catch (e) {
    throw new UserError(`gauntlet: ${e instanceof Error ? e.message : String(e)} (from --ollama, OLLAMA_HOST or the config): give a URL such as http://127.0.0.1:11434`);
  }
}

function openAiBaseUrl(flag: string | undefined, env: Io['env']): string {
  const raw = flag ?? env.GAUNTLET_OPENAI_BASE_URL ?? env.OPENAI_BASE_URL;
  if (raw === undefined || raw.trim() === '') {
    throw new UserError('gauntlet: --llm openai needs the server\'s URL: pass --base-url URL (or set GAUNTLET_OPENAI_BASE_URL), e.g. http://127.0.0.1:1234/v1', 2);
  }
  try {
    const u = new URL(raw.trim());
    if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new Error('scheme');
    return u.href.replace(/\/+$/, '');
  } catch {
    throw new UserError(`gauntlet: invalid --base-url "${raw}" (from --base-url, GAUNTLET_OPENAI_BASE_URL or OPENAI_BASE_URL): give a URL such as http://127.0.0.1:1234/v1`, 2);
  }
}

/**
 * The agents on an OpenAI-compatible server: one status check (`GET <base>/models`), then the same
 * roles over the OpenAI client. Its context window is the server's own setting, so the budget is
 * checked against the smallest window Gauntlet assumes (8192).
 */
async function resolveOpenAi(o: AgentsOptions, baseUrl: string, timeouts: Partial<Timeouts>): Promise<Agents> {
  const client = new OpenAiClient(baseUrl, timeouts);
  const statusOpts = { timeouts: { ...STATUS_TIMEOUTS, ...o.timeouts }, ...(o.signal === undefined ? {} : { signal: o.signal }) };
  let model = o.model ?? null;
  let picked = '';
  if (model === null) {
    let served: string[];
    try {
      served = await client.models(statusOpts);
    } catch (e) {
      if (!(e instanceof OllamaError) || e.kind === 'aborted') throw e;
      return rulesAgents({ state: 'down', message: `${e.message}: ${CONTINUES}` }, `${e.message}: ${CONTINUES}`);
    }
    if (served[0] === undefined) {
      const message = `the ${OPENAI_SERVER} at ${baseUrl} serves no model: load one and pass --model NAME; ${CONTINUES}`;
      return rulesAgents({ state: 'no_model', message }, message);
    }
    model = served[0];
    picked = `\nno --model given: using ${model}, the first model the server lists (pass --model NAME to choose)`;
  }
  const status = await client.status(model, statusOpts);
  if (status.state !== 'ok') {
    const message = `${status.message}${status.state === 'down' ? ':' : ';'} ${CONTINUES}`;
    return rulesAgents({ state: status.state, message }, message);
  }
  const server = { kind: 'openai' as const, version: null, remote_host: null, keep_alive: null };
  const roles = modelRoles({
    client, model, seed: o.seed, sink: o.sink, timeouts, settings: { numCtx: MIN_NUM_CTX }, server, kind: 'openai',
    ...(o.onFallback === undefined ? {} : { onFallback: o.onFallback }),
  });
  const provenance = openaiSource(model);
  return {
    ...roles,
    status: { state: 'ok', model, digest: '' },
    label: `${model} (openai)`,
    message: null,
    provenance,
    line: `agents: ${provenance} at ${baseUrl} (${OPENAI_SERVER}); a role whose call fails answers with its rules${picked}`,
    model,
  };
}

/**
 * The three roles on a model (Ollama, or a replay of transcripts), with the compiler checking the
 * translator's drafts: the one place a live session and its replay build them, so both ask alike.
 */
export function modelRoles(o: Omit<ModelAgentsOptions, 'check'>): ReturnType<typeof modelAgents> {
  return modelAgents({ ...o, check: compileProblem });
}

/** How long the session keeps the model loaded between calls (Ollama's default, 5 minutes, is shorter than a slow backtest). */
export const KEEP_ALIVE = '30m';
/** A load that takes longer than this is announced. */
const LOAD_NOTICE_MS = 1_000;

/**
 * The models automatic choice may take, best first: local ones only (a model with `remote_host` is an
 * Ollama cloud model, and the ideas would leave the machine), no embedding models, the most recently
 * modified first; ties by name.
 */
export function pickModels(models: readonly InstalledModel[]): string[] {
  const chat = models.filter((m) => m.remoteHost === null && !/embed/i.test(m.name));
  chat.sort((a, b) => (a.modified_at === b.modified_at ? a.name.localeCompare(b.name) : a.modified_at < b.modified_at ? 1 : -1));
  return chat.map((m) => m.name);
}

/** The first model whose /api/show capabilities include `completion` (a server that lists none: the first). */
async function firstThatCompletes(client: OllamaClient, names: readonly string[], opts: { timeouts?: Partial<Timeouts>; signal?: AbortSignal }): Promise<string | null> {
  for (const name of names) {
    const caps = await client.capabilities(name, opts);
    if (caps === null || caps.includes('completion')) return name;
  }
  return null;
}

/** A draft spec the compiler refuses, as the reason to send back to the model; null when it compiles. */
export function compileProblem(spec: Spec): string | null {
  try {
    compile(spec);
    return null;
  } catch (e) {
    if (e instanceof UserError) return e.message;
    throw e;
  }
}

const TIMEOUT_KEYS: Record<string, keyof Timeouts> = { connect: 'connectMs', first_byte: 'firstByteMs', idle: 'idleMs', call: 'callMs' };

/** The longest delay a Node timer keeps (about 24.8 days). */
export const MAX_TIMER_MS = 2 ** 31 - 1;

/** `connect=MS,first_byte=MS,idle=MS,call=MS` (any subset), from GAUNTLET_OLLAMA_TIMEOUTS. */
export function parseTimeouts(raw: string | undefined): Partial<Timeouts> {
  if (raw === undefined || raw.trim() === '') return {};
  const out: Partial<Timeouts> = {};
  for (const part of raw.split(',')) {
    const [k, v] = part.split('=').map((s) => s.trim());
    const key = TIMEOUT_KEYS[k ?? ''];
    const ms = Number(v);
    // A timer longer than 2^31 − 1 ms fires at once (Node clamps it to 1 ms), so that is the ceiling.
    if (key === undefined || v === undefined || !/^\d+$/.test(v) || !Number.isSafeInteger(ms) || ms <= 0 || ms > MAX_TIMER_MS) {
      throw new UserError(`GAUNTLET_OLLAMA_TIMEOUTS: "${part}" is not KEY=MS with KEY one of connect, first_byte, idle, call and MS a whole number of milliseconds from 1 to ${MAX_TIMER_MS} (e.g. "first_byte=300000,idle=60000,call=600000")`);
    }
    out[key] = ms;
  }
  return out;
}

/**
 * Stores each transcript as it arrives, so a crash keeps every call made before it. Its large
 * bodies are written to artifacts first, so the record never refers to a file not yet there.
 */
export function storeSink(store: Store): TranscriptSink & { has: (id: string) => boolean } {
  return {
    record: async (t) => {
      const stored = await storeBodies(t, (text) => store.putTextArtifact(text));
      await store.transaction((tx) => { tx.append('transcripts', stored); });
    },
    has: (id) => store.get('transcripts', id) !== undefined,
  };
}
