import { UserError, formatZodError } from '../errors.ts';
import { VersionMismatch, migrateRaw } from './migrations.ts';
import { STORE_VERSION, StoreSchema, type StoreData } from './schema.ts';
import { jsonErrorOffset, lineCol } from '../spec/json-checks.ts';

/**
 * Text of store.json → validated data. Every failure is a UserError with exit code 3 naming the
 * file, where in it, and what is wrong; the caller writes nothing after one (DESIGN §7).
 */

export const STORE_EXIT_CODE = 3;

const UNCHANGED = 'The store was not changed. Fix the file, restore a backup (store.json.bak-*), or point --db at another directory.';

/** A store broken everywhere would print thousands of lines; the first few locate the problem. */
const MAX_ISSUES = 10;

export interface ParsedStore {
  data: StoreData;
  /** The version found in the file; below STORE_VERSION means `data` was migrated in memory. */
  fromVersion: number;
}

function parseJson(text: string, file: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    const pos = /position (\d+)/.exec(msg);
    // "Unexpected end of JSON input" carries no position: it is the end — a truncated file. Node 20
    // names none for an unexpected token either; the scanner finds it, so the user gets the line.
    const found = pos !== null ? Number(pos[1]) : /end of JSON input/.test(msg) ? text.length : jsonErrorOffset(text);
    const offset = found >= 0 ? found : undefined;
    const at = offset === undefined ? '' : ` at ${lineCol(text, offset)}`;
    const hint = offset === text.length ? ' (the file ends too early: truncated?)' : '';
    throw new UserError(`${file}: not valid JSON${at}: ${msg}${hint}\n${UNCHANGED}`, STORE_EXIT_CODE);
  }
}

export function parseStoreText(text: string, file: string, now: Date = new Date()): ParsedStore {
  const raw = parseJson(text, file);
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    throw new UserError(`${file}: (root): expected a JSON object, got ${Array.isArray(raw) ? 'an array' : raw === null ? 'null' : typeof raw}\n${UNCHANGED}`, STORE_EXIT_CODE);
  }
  const obj = raw as Record<string, unknown>;
  const version = obj.version;
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 0) {
    throw new UserError(`${file}: version: expected a whole number ≥ 0, got ${JSON.stringify(version) ?? 'nothing'}\n${UNCHANGED}`, STORE_EXIT_CODE);
  }
  if (version > STORE_VERSION) {
    throw new UserError(`${file}: version ${version} is newer than this gauntlet understands (up to ${STORE_VERSION}); `
      + `upgrade gauntlet to open it. ${UNCHANGED.split('. ')[0]}.`, STORE_EXIT_CODE);
  }
  let migrated = obj;
  try {
    if (version < STORE_VERSION) migrated = migrateRaw(obj, version, now);
  } catch (e) {
    if (e instanceof VersionMismatch) throw new UserError(`${file}: ${e.message}. Nothing was migrated or written.\n${UNCHANGED}`, STORE_EXIT_CODE);
    throw e;
  }
  const r = StoreSchema.safeParse(migrated);
  if (!r.success) {
    const where = version < STORE_VERSION ? `${file} (migrated from version ${version})` : file;
    const lines = formatZodError(r.error, where).split('\n');
    const shown = lines.length > MAX_ISSUES ? [...lines.slice(0, MAX_ISSUES), `… and ${lines.length - MAX_ISSUES} more problems`] : lines;
    throw new UserError(`${shown.join('\n')}\n${UNCHANGED}`, STORE_EXIT_CODE);
  }
  return { data: r.data, fromVersion: version };
}
