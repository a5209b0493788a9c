import type { z } from 'zod';
import { formatPath } from '../../core/errors.ts';
import { canonicalJson, sha256 } from '../../core/spec/hash.ts';
import type { ChatClient, ChatResult, Message, Think, Usage } from './ollama-client.ts';
import { InvalidReply, OverBudget, Truncated } from './errors.ts';
import { estimateTokens } from './budget.ts';
import { extractJson } from './reply.ts';
import type { Timeouts } from './transport.ts';
import { wireJsonSchema } from './wire.ts';

/** One model call as the store keeps it (DESIGN §6: enough to replay a session without the model). */
export interface TranscriptEntry {
  role: string;
  model: string;
  model_digest: string | null;
  options: { temperature: number; seed: number; num_ctx?: number; num_predict?: number };
  /** The `think` sent (absent: none sent, the server's default). */
  think?: Think;
  /** The model's reasoning: its `thinking` field ('' or absent when it wrote none there). */
  thinking?: string;
  /** Token counts and durations the server reported (absent when it reported none). */
  usage?: Usage;
  /** The prompt's token estimate this call was budgeted with. */
  prompt_estimate?: number;
  /** Refused before sending (over budget): a replay refuses it the same way and does not look for it. */
  not_sent?: boolean;
  /** sha256 of `request`. */
  prompt_hash: string;
  /** Canonical JSON of {model, messages, format, options}: what was asked, minus transport details. */
  request: string;
  /** The raw reply text, before any repair. */
  response: string;
  started_at: string;
  ms: number;
  outcome: 'ok' | 'invalid' | 'truncated' | 'error';
  /** Why the attempt failed (validation issues, error message); null when ok. */
  detail: string | null;
}

export interface StructuredCallInput<W extends z.ZodType, F extends z.ZodType> {
  client: ChatClient;
  model: string;
  /** The agent role, e.g. 'translator': names the call in transcripts and errors. */
  role: string;
  system: string;
  prompt: string;
  /** Grammar-friendly schema sent as `format` (see wire.ts). */
  wireSchema: W;
  /** The full schema the parsed reply must pass: the wire shape plus stricter rules. */
  fullSchema: F;
  seed: number;
  /** Context window to ask for (options.num_ctx); the server's default when absent. Long prompts need more than the old 2048 default. */
  numCtx?: number;
  /** The reply's token limit (options.num_predict): a model that will not stop is cut here (done_reason "length"). */
  numPredict?: number;
  /** Ollama's `think`, decided once per session from the model's capabilities. */
  think?: Think;
  keepAlive?: string;
  /** Send `truncate: false`, so a server that supports it refuses an over-long prompt instead of cutting it. */
  noTruncate?: boolean;
  onThinking?: (thinkingSoFar: string) => void;
  signal?: AbortSignal;
  maxRetries?: number;
  timeouts?: Partial<Timeouts>;
  onChunk?: (textSoFar: string) => void;
  /** Called once per attempt, failures included, so a caller can store transcripts even when the call throws. */
  onTranscript?: (entry: TranscriptEntry) => void;
}

export interface StructuredResult<T> {
  value: T;
  attempts: number;
  transcript: TranscriptEntry[];
}

/**
 * Asks for JSON matching `wireSchema`, validates it against `fullSchema`, and on a bad reply retries
 * (up to maxRetries) with the validation errors fed back, so the model can correct itself.
 * temperature 0 and a fixed seed make the call as repeatable as the server allows.
 */
export async function structuredCall<W extends z.ZodType, F extends z.ZodType>(input: StructuredCallInput<W, F>): Promise<StructuredResult<z.output<F>>> {
  const maxRetries = input.maxRetries ?? 2;
  const format = wireJsonSchema(input.wireSchema);
  const options = {
    temperature: 0, seed: input.seed,
    ...(input.numCtx === undefined ? {} : { num_ctx: input.numCtx }),
    ...(input.numPredict === undefined ? {} : { num_predict: input.numPredict }),
  };
  // The model cannot see `format`: the schema goes into the prompt as well (Ollama docs' advice).
  const messages: Message[] = [
    { role: 'system', content: input.system },
    { role: 'user', content: `${input.prompt}\n\nReply with one JSON object only, matching this JSON schema:\n${JSON.stringify(format)}` },
  ];
  const transcript: TranscriptEntry[] = [];
  let lastIssues: string[] = [];
  let lastRaw = '';
  let lastTruncated = false;

  for (let attempt = 1; attempt <= maxRetries + 1; attempt++) {
    const request = canonicalRequest({ model: input.model, messages, format, options, ...(input.think === undefined ? {} : { think: input.think }) });
    const estimate = estimateTokens(messages, format);
    const started = Date.now();
    const record = (response: string, outcome: TranscriptEntry['outcome'], detail: string | null, reply?: ChatResult, notSent = false): void => {
      const entry: TranscriptEntry = {
        role: input.role, model: input.model, model_digest: input.client.knownDigest(input.model), options,
        prompt_hash: sha256(request), request, response, started_at: new Date(started).toISOString(),
        ms: Date.now() - started, outcome, detail, prompt_estimate: estimate,
        ...(input.think === undefined ? {} : { think: input.think }),
        ...(reply === undefined || reply.thinking === '' ? {} : { thinking: reply.thinking }),
        ...(reply?.usage == null ? {} : { usage: reply.usage }),
        ...(notSent ? { not_sent: true } : {}),
      };
      transcript.push(entry);
      input.onTranscript?.(entry);
    };

    // Over budget before the call: the server would cut the prompt (losing the system prompt first), so it is not sent.
    if (input.numCtx !== undefined && estimate + (input.numPredict ?? 0) > input.numCtx) {
      const err = new OverBudget(input.role, `the prompt needs about ${estimate} tokens and the reply up to ${input.numPredict ?? 0}, ` +
        `more than the context window of ${input.numCtx} tokens (num_ctx): it was not sent`);
      record('', 'error', err.message, undefined, true);
      throw err;
    }

    let reply: ChatResult;
    try {
      reply = await input.client.chat({
        model: input.model, messages: [...messages], format, options,
        ...(input.think === undefined ? {} : { think: input.think }),
        ...(input.keepAlive === undefined ? {} : { keepAlive: input.keepAlive }),
        ...(input.noTruncate === true ? { truncate: false } : {}),
        ...(input.signal ? { signal: input.signal } : {}),
        ...(input.timeouts ? { timeouts: input.timeouts } : {}),
        ...(input.onChunk ? { onChunk: input.onChunk } : {}),
        ...(input.onThinking ? { onThinking: input.onThinking } : {}),
      });
    } catch (e) {
      record('', 'error', e instanceof Error ? e.message : String(e));
      throw e;
    }

    // Cut by the server after all: a 200 whose prompt_eval_count is far below the prompt (truncate unsupported).
    const read = reply.usage?.prompt_tokens ?? null;
    if (read !== null && estimate >= CUT_CHECK_FROM && read < estimate * TRUNCATED_BELOW) {
      const err = new OverBudget(input.role, `the server read only ${read} tokens of a prompt of about ${estimate}: it cut the prompt to fit ` +
        `${input.numCtx === undefined ? 'its context window' : `the context window of ${input.numCtx} tokens (num_ctx)`}, so the reply was not used`);
      record(reply.content, 'error', err.message, reply);
      throw err;
    }

    if (reply.truncated) {
      lastTruncated = true;
      record(reply.content, 'truncated', 'done_reason "length"', reply);
      // A retry with the same prompt is cut at the same place: ask for a shorter reply instead.
      messages.push({ role: 'assistant', content: echo(reply.content) },
        { role: 'user', content: 'Your reply was cut off before the JSON ended. Reply again with the complete JSON object only, as short as possible: no prose, no whitespace padding.' });
      continue;
    }

    const checked = parseReply(reply.content, input.fullSchema);
    if (checked.ok) {
      record(reply.content, 'ok', null, reply);
      return { value: checked.value, attempts: attempt, transcript };
    }
    lastTruncated = false;
    lastIssues = checked.issues;
    lastRaw = reply.content;
    record(reply.content, 'invalid', checked.issues.join('\n'), reply);
    messages.push({ role: 'assistant', content: echo(reply.content) },
      { role: 'user', content: `Your reply did not match the schema:\n${issuesText(checked.issues)}\nReply again with the corrected JSON object only.` });
  }
  const attempts = maxRetries + 1;
  // The last attempt's failure is the one to report: it saw every correction before it.
  if (lastTruncated) throw new Truncated(input.role, attempts);
  throw new InvalidReply(input.role, lastIssues, attempts, lastRaw);
}

/**
 * A retry prompt carries the failed reply and what was wrong with it; both are cut, so retries
 * cannot grow the prompt (and the transcripts that store it) by a whole reply and its issues each
 * time: the beginning of a reply shows the model what it wrote, and the first issues what to fix.
 */
export const ECHO_CHARS = 8192;
export const ECHO_ISSUES = 20;

function echo(reply: string): string {
  return reply.length <= ECHO_CHARS ? reply : `${reply.slice(0, ECHO_CHARS)}\n… (${reply.length - ECHO_CHARS} more characters cut)`;
}

function issuesText(issues: readonly string[]): string {
  const shown = issues.slice(0, ECHO_ISSUES).map((i) => (i.length <= 300 ? i : `${i.slice(0, 300)}…`));
  return [...shown, ...(issues.length > ECHO_ISSUES ? [`… and ${issues.length - ECHO_ISSUES} more`] : [])].join('\n');
}

/**
 * A prompt the server read less than this share of was cut. The estimate errs high (3 characters a
 * token; English runs nearer 4), so an uncut prompt reads well above 0.5 of it.
 */
const TRUNCATED_BELOW = 0.5;
/**
 * Prompts smaller than this are not checked: no context window in use is this small, so nothing was
 * cut, and on a short prompt the chat template's own tokens make the ratio meaningless.
 */
const CUT_CHECK_FROM = 1024;

/**
 * What was asked, minus transport details (keep_alive, truncate, stream): the bytes a transcript
 * stores and a replay matches on. `think` is included because it changes the answer.
 */
export function canonicalRequest(r: { model: string; messages: readonly Message[]; format: unknown; options: unknown; think?: Think }): string {
  return canonicalJson({ model: r.model, messages: r.messages, format: r.format, options: r.options, ...(r.think === undefined ? {} : { think: r.think }) });
}

type Parsed<T> = { ok: true; value: T } | { ok: false; issues: string[] };

function parseReply<F extends z.ZodType>(raw: string, schema: F): Parsed<z.output<F>> {
  let json: unknown;
  try {
    json = extractJson(raw);
  } catch (e) {
    return { ok: false, issues: [e instanceof Error ? e.message : String(e)] };
  }
  const result = schema.safeParse(json);
  if (result.success) return { ok: true, value: result.data };
  return { ok: false, issues: result.error.issues.map((i) => `${formatPath(i.path)}: ${i.message}`) };
}
