import { describe, expect, it } from 'vitest';
import { normalizeHost, resolveOllamaSettings } from '../../src/agents/ollama/config.ts';

describe('normalizeHost (OLLAMA_HOST forms the ollama CLI accepts)', () => {
  const cases: Array<[string, string]> = [
    ['localhost', 'http://localhost:11434'],
    ['127.0.0.1:5000', 'http://127.0.0.1:5000'],
    [':5000', 'http://127.0.0.1:5000'],
    ['0.0.0.0', 'http://127.0.0.1:11434'], // a bind address: connect over loopback
    ['0.0.0.0:1234', 'http://127.0.0.1:1234'],
    ['http://gpu-box:11434/', 'http://gpu-box:11434'],
    ['http://gpu-box', 'http://gpu-box:80'], // an explicit scheme means its own default port
    ['https://ollama.example.com', 'https://ollama.example.com:443'],
    ['https://ollama.example.com/proxy/', 'https://ollama.example.com:443/proxy'],
    ['http://[::1]:8080', 'http://[::1]:8080'],
    ['[::1]', 'http://[::1]:11434'],
    ['  box:7000  ', 'http://box:7000'],
  ];
  for (const [raw, want] of cases) it(`${JSON.stringify(raw)} → ${want}`, () => expect(normalizeHost(raw)).toBe(want));

  it('rejects an empty host and other schemes', () => {
    expect(() => normalizeHost('  ')).toThrow(/empty/);
    expect(() => normalizeHost('ftp://box')).toThrow(/scheme/);
  });
});

describe('resolveOllamaSettings: flag → env → config → default', () => {
  it('the flag wins', () => {
    expect(resolveOllamaSettings({ flagHost: 'a:1', env: { OLLAMA_HOST: 'b:2' }, config: { host: 'c:3' } }).host).toBe('http://a:1');
  });
  it('then OLLAMA_HOST', () => {
    expect(resolveOllamaSettings({ env: { OLLAMA_HOST: 'b:2' }, config: { host: 'c:3' } }).host).toBe('http://b:2');
  });
  it('then the config (an empty env var counts as unset)', () => {
    expect(resolveOllamaSettings({ env: { OLLAMA_HOST: '' }, config: { host: 'c:3' } }).host).toBe('http://c:3');
  });
  it('then the default', () => {
    expect(resolveOllamaSettings({})).toEqual({ host: 'http://127.0.0.1:11434', model: null });
  });
  it('model: --model, then config', () => {
    expect(resolveOllamaSettings({ flagModel: 'qwen2.5:7b', config: { model: 'llama3.2' } }).model).toBe('qwen2.5:7b');
    expect(resolveOllamaSettings({ config: { model: 'llama3.2' } }).model).toBe('llama3.2');
  });
});
