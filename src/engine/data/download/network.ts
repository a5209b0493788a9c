/**
 * Download failures in the user's words: no network at all (the one message the issue asks for), the
 * provider refusing too many requests, or the provider not knowing a symbol.
 */
import { UserError } from '../../../core/errors.ts';

const OFFLINE = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ENETUNREACH', 'EHOSTUNREACH', 'ECONNRESET', 'ETIMEDOUT', 'UND_ERR_CONNECT_TIMEOUT']);

/** The error code of a failed fetch (undici wraps it in `cause`), or undefined. */
export function networkCode(e: unknown): string | undefined {
  let cur: unknown = e;
  for (let depth = 0; depth < 5 && cur !== null && typeof cur === 'object'; depth++) {
    const code = (cur as { code?: unknown }).code;
    if (typeof code === 'string' && OFFLINE.has(code)) return code;
    const msg = (cur as { message?: unknown }).message;
    // undici's TypeError('fetch failed'): the reason is in its cause (a code, or a message such as "bad port").
    if (cur instanceof TypeError && msg === 'fetch failed') {
      const cause = (cur as { cause?: { code?: unknown; message?: unknown } }).cause;
      const inner = networkCode(cause);
      return inner ?? (typeof cause?.code === 'string' ? cause.code : typeof cause?.message === 'string' ? cause.message : 'fetch failed');
    }
    if (typeof msg === 'string') {
      const m = /\b(ECONNREFUSED|ENOTFOUND|EAI_AGAIN|ENETUNREACH|EHOSTUNREACH|ECONNRESET|ETIMEDOUT)\b/.exec(msg);
      if (m !== null) return m[1];
    }
    cur = (cur as { cause?: unknown }).cause;
  }
  return undefined;
}

export function offlineError(provider: string, code: string): UserError {
  return new UserError(`no network: use data import. ${provider} cannot be reached (${code}); downloading needs network, while 'gauntlet data import FILES --out DIR' works offline on files you have`);
}
