import { connect } from 'node:net';
import { Aborted, OllamaDown, StreamFailure, Timeout } from './errors.ts';
import type { OllamaError } from './errors.ts';

/**
 * A per-call `fetch` for ollama-js. ollama-js has no timeouts and passes no signal on non-streamed
 * calls (ollama/ollama-js#131, #274), so every call goes through this guard instead:
 * - connect: a TCP probe of host:port first. fetch cannot tell "cannot connect" from "connected but
 *   silent", and those need different messages (Ollama down vs model still loading).
 * - first byte: from sending the request until the first body byte (a model load can be slow).
 * - idle: the longest gap between body chunks (a stalled generation).
 * - call: the whole call, however steadily chunks arrive (the idle timer resets on every chunk, so a
 *   model that streams forever would otherwise never time out).
 * It also rejects malformed NDJSON lines, which ollama-js would skip with a console.warn and so
 * silently drop part of the reply.
 */

export interface Timeouts {
  connectMs: number;
  firstByteMs: number;
  idleMs: number;
  callMs: number;
}

/** A 7–14B model on a laptop writes a translator reply (≈1–2k tokens) in well under 5 minutes. */
export const DEFAULT_TIMEOUTS: Timeouts = { connectMs: 3_000, firstByteMs: 120_000, idleMs: 30_000, callMs: 300_000 };

export interface CallGuard {
  fetch: typeof fetch;
  /** The typed error that ended the call, if the guard ended it (timeout, malformed line, user abort). */
  failure(): OllamaError | null;
  /** Ends the call with `err` (the caller saw a runaway, say): the stream is aborted, failure() returns it. */
  fail(err: OllamaError): void;
  dispose(): void;
}

/** `server` names the server in messages (Ollama, or an OpenAI-compatible server). */
export function guardCall(host: string, timeouts: Timeouts, userSignal?: AbortSignal, server = 'Ollama'): CallGuard {
  const controller = new AbortController();
  let fired: OllamaError | null = null;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const fail = (err: OllamaError): void => {
    if (fired) return;
    fired = err;
    clearTimeout(timer);
    clearTimeout(deadline);
    controller.abort(err);
  };
  const arm = (which: 'first_byte' | 'idle', ms: number): void => {
    clearTimeout(timer);
    timer = setTimeout(() => fail(new Timeout(which, ms, host, server)), ms);
  };
  const deadline = setTimeout(() => fail(new Timeout('call', timeouts.callMs, host, server)), timeouts.callMs);
  const onUserAbort = (): void => fail(new Aborted());
  if (userSignal?.aborted) onUserAbort();
  else userSignal?.addEventListener('abort', onUserAbort, { once: true });

  const guardedFetch = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    if (fired) throw fired;
    const url = new URL(input instanceof Request ? input.url : input);
    await probe(url, host, timeouts.connectMs, controller.signal, server);
    if (fired) throw fired;
    arm('first_byte', timeouts.firstByteMs);
    const signal = init?.signal ? AbortSignal.any([init.signal, controller.signal]) : controller.signal;
    let res: Response;
    try {
      res = await fetch(input, { ...init, signal });
    } catch (e) {
      throw fired ?? (isRefused(e) ? new OllamaDown(host, server) : e);
    }
    if (!res.body) {
      clearTimeout(timer);
      return res;
    }
    const ndjson = res.headers.get('content-type')?.includes('application/x-ndjson') ?? false;
    const lines = ndjson ? new LineChecker() : null;
    const watched = res.body.pipeThrough(new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, ctl) {
        arm('idle', timeouts.idleMs);
        const bad = lines?.push(chunk) ?? null;
        if (bad !== null) {
          fail(new StreamFailure(`malformed NDJSON line: ${bad.slice(0, 120)}`));
          ctl.error(fired);
          return;
        }
        ctl.enqueue(chunk);
      },
      flush(ctl) {
        clearTimeout(timer);
        const bad = lines?.end() ?? null;
        if (bad !== null) {
          fail(new StreamFailure(`malformed NDJSON line: ${bad.slice(0, 120)}`));
          ctl.error(fired);
        }
      },
    }));
    return new Response(watched, { status: res.status, statusText: res.statusText, headers: res.headers });
  };

  return {
    fetch: guardedFetch as typeof fetch,
    failure: () => fired,
    fail,
    dispose: () => {
      clearTimeout(timer);
      clearTimeout(deadline);
      userSignal?.removeEventListener('abort', onUserAbort);
    },
  };
}

/** Resolves once a TCP connection to the URL's host:port opens; the socket is closed at once. */
function probe(url: URL, host: string, ms: number, signal: AbortSignal, server: string): Promise<void> {
  const port = Number(url.port || (url.protocol === 'https:' ? 443 : 80));
  const hostname = url.hostname.replace(/^\[|\]$/g, '');
  return new Promise<void>((resolve, reject) => {
    const socket = connect({ host: hostname, port });
    const done = (err?: unknown): void => {
      clearTimeout(t);
      signal.removeEventListener('abort', onAbort);
      socket.destroy();
      if (err === undefined) resolve();
      else reject(err);
    };
    const onAbort = (): void => done(signal.reason);
    const t = setTimeout(() => done(new Timeout('connect', ms, host, server)), ms);
    signal.addEventListener('abort', onAbort, { once: true });
    socket.once('connect', () => done());
    socket.once('error', () => done(new OllamaDown(host, server)));
  });
}

function isRefused(e: unknown): boolean {
  const cause = (e as { cause?: { code?: string } } | null)?.cause;
  return ['ECONNREFUSED', 'ECONNRESET', 'EHOSTUNREACH', 'ENOTFOUND'].includes(cause?.code ?? '');
}

/** Splits bytes into lines and returns the first line that is not JSON, or null. */
class LineChecker {
  private readonly decoder = new TextDecoder();
  private buffer = '';

  push(chunk: Uint8Array): string | null {
    this.buffer += this.decoder.decode(chunk, { stream: true });
    const parts = this.buffer.split('\n');
    this.buffer = parts.pop() ?? '';
    return parts.find((line) => !isJsonLine(line)) ?? null;
  }

  end(): string | null {
    this.buffer += this.decoder.decode();
    return isJsonLine(this.buffer) ? null : this.buffer;
  }
}

function isJsonLine(line: string): boolean {
  if (line.trim() === '') return true;
  try {
    JSON.parse(line);
    return true;
  } catch {
    return false;
  }
}
