/**
 * What the idea stage shows of the idea: one line, at most 80 characters. A file's content is shown
 * by its first meaningful line (a Pine script's `//@version` line and blank lines skipped); a spec
 * JSON document by its name and idea, never as raw JSON.
 */
export function ideaEcho(idea: string): string {
  const clip = (s: string): string => (s.length > 80 ? `${s.slice(0, 77)}…` : s);
  const t = idea.trim();
  if (t.startsWith('{')) {
    try {
      const doc = JSON.parse(t) as { name?: unknown; idea?: unknown };
      const name = typeof doc.name === 'string' ? doc.name : 'a spec';
      return clip(typeof doc.idea === 'string' && doc.idea !== '' ? `spec ${name}: ${doc.idea}` : `spec ${name}`);
    } catch {
      // not JSON after all: shown as text
    }
  }
  const line = t.split('\n').map((l) => l.trim()).find((l) => l !== '' && !/^\/\/\s*@version\s*=/.test(l)) ?? '';
  return clip(line.replace(/\s+/g, ' '));
}
