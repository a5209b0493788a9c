/**
 * Where Ollama is and which model to use. ollama-js does not read OLLAMA_HOST itself
 * (ollama/ollama-js#150), so we resolve it here: flag → env → config → default.
 */

export const DEFAULT_PORT = 11434;
export const DEFAULT_HOST = `http://127.0.0.1:${DEFAULT_PORT}`;

/**
 * Normalises the forms Ollama itself accepts for OLLAMA_HOST: `host`, `host:port`, `:port`,
 * `http(s)://host[:port]`, `0.0.0.0` (a bind address: connect via loopback). Trailing slashes go.
 */
export function normalizeHost(raw: string): string {
  let text = raw.trim().replace(/\/+$/, '');
  if (text === '') throw new Error('empty Ollama host');
  // As the ollama CLI reads OLLAMA_HOST (envconfig.Host): no scheme → http and port 11434;
  // an explicit scheme without a port means that scheme's port (80/443).
  const hadScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(text);
  if (!hadScheme) text = `http://${text}`;
  // `http://:5000` is not a valid URL; Ollama reads an empty host as loopback.
  text = text.replace(/^([a-z]+:\/\/):/i, '$1127.0.0.1:');
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new Error(`invalid Ollama host "${raw}"`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error(`invalid Ollama host "${raw}": scheme must be http or https`);
  const hostname = url.hostname === '0.0.0.0' || url.hostname === '' ? '127.0.0.1' : url.hostname;
  // Read the port from the text: URL drops one equal to the scheme default (`http://h:80` → port '').
  const authority = text.replace(/^[a-z]+:\/\//i, '').split('/')[0] ?? '';
  const schemePort = url.protocol === 'https:' ? '443' : '80';
  const port = /:(\d+)$/.exec(authority)?.[1] ?? (hadScheme ? schemePort : String(DEFAULT_PORT));
  const path = url.pathname === '/' ? '' : url.pathname.replace(/\/+$/, '');
  return `${url.protocol}//${hostname}:${port}${path}`;
}

export interface OllamaSettings {
  host: string;
  model: string | null;
}

export interface ResolveInput {
  /** `--ollama URL` */
  flagHost?: string | undefined;
  /** `--model NAME` */
  flagModel?: string | undefined;
  env?: Record<string, string | undefined>;
  config?: { host?: string | undefined; model?: string | undefined };
}

export function resolveOllamaSettings(input: ResolveInput): OllamaSettings {
  const env = input.env ?? {};
  const rawHost = nonEmpty(input.flagHost) ?? nonEmpty(env.OLLAMA_HOST) ?? nonEmpty(input.config?.host) ?? DEFAULT_HOST;
  const model = nonEmpty(input.flagModel) ?? nonEmpty(input.config?.model) ?? null;
  return { host: normalizeHost(rawHost), model };
}

function nonEmpty(s: string | undefined): string | undefined {
  return s !== undefined && s.trim() !== '' ? s.trim() : undefined;
}
