/**
 * Allocation-free parsing of numbers and times straight from the bytes of a CSV line.
 * Pure functions; `buf[s..e)` is the field (already trimmed by the caller).
 */

const POW10 = [1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22];
const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** Decodes bytes as latin1 (for error messages and rare slow paths). */
export function fieldText(buf: Uint8Array, s: number, e: number): string {
  let out = '';
  for (let i = s; i < e; i++) out += String.fromCharCode(buf[i] as number);
  return out;
}

/**
 * Parses a plain decimal number (`12`, `-3.5`, `.25`, `1e-3`). Returns NaN for anything else (including
 * `null`, `NaN`, `0x10`, `Infinity`, `1e999` and the empty field). The result equals `Number(text)` bit for bit:
 * the fast path (≤ 15 significant digits, ≤ 22 decimals) divides an exact integer by an exact power of ten,
 * which IEEE 754 rounds correctly; everything else goes through `Number`.
 */
export function parseDecimal(buf: Uint8Array, s: number, e: number): number {
  let i = s;
  let neg = false;
  const c0 = buf[i];
  if (c0 === 45) { neg = true; i++; } else if (c0 === 43) { i++; }
  let mant = 0;
  let digits = 0;
  let frac = 0;
  let dot = false;
  for (; i < e; i++) {
    const c = buf[i] as number;
    if (c >= 48 && c <= 57) {
      mant = mant * 10 + (c - 48);
      digits++;
      if (dot) frac++;
    } else if (c === 46 && !dot) {
      dot = true;
    } else {
      return slowDecimal(buf, s, e);
    }
  }
  if (digits === 0) return NaN;
  if (digits > 15 || frac > 22) return slowDecimal(buf, s, e);
  const v = frac === 0 ? mant : mant / (POW10[frac] as number);
  return neg ? -v : v;
}

function slowDecimal(buf: Uint8Array, s: number, e: number): number {
  const text = fieldText(buf, s, e);
  if (!DECIMAL.test(text)) return NaN;
  // `1e999` or 400 digits is a well-formed literal float64 cannot hold: Number() gives ±Infinity, no price.
  const v = Number(text);
  return Number.isFinite(v) ? v : NaN;
}

/** True when the field is all ASCII digits, optionally with one '.' (an epoch number). */
export function isEpochField(buf: Uint8Array, s: number, e: number): boolean {
  if (e <= s) return false;
  let dot = false;
  for (let i = s; i < e; i++) {
    const c = buf[i] as number;
    if (c === 46 && !dot) dot = true;
    else if (c < 48 || c > 57) return false;
  }
  return true;
}

/** Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil). */
export function daysFromCivil(y: number, m: number, d: number): number {
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

function daysInMonth(y: number, m: number): number {
  if (m === 2) return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0 ? 29 : 28;
  return m === 4 || m === 6 || m === 9 || m === 11 ? 30 : 31;
}

/** Reads `n` ASCII digits at `i`; -1 if any is not a digit. */
function digitsAt(buf: Uint8Array, i: number, n: number, e: number): number {
  if (i + n > e) return -1;
  let v = 0;
  for (let k = 0; k < n; k++) {
    const c = buf[i + k] as number;
    if (c < 48 || c > 57) return -1;
    v = v * 10 + (c - 48);
  }
  return v;
}

const DAY_MS = 86_400_000;

/**
 * Parses an ISO 8601 date or date-time to epoch ms, NaN if malformed or out of range:
 * `YYYY-MM-DD` (UTC midnight), `YYYY-MM-DD[T| ]HH:MM[:SS[.fff]]` (UTC unless it carries a zone),
 * with an optional zone `Z`, `±HH:MM`, `±HHMM` or `±HH`.
 */
export function parseIsoTime(buf: Uint8Array, s: number, e: number): number {
  const y = digitsAt(buf, s, 4, e);
  if (y < 0 || buf[s + 4] !== 45) return NaN;
  const mo = digitsAt(buf, s + 5, 2, e);
  if (mo < 1 || mo > 12 || buf[s + 7] !== 45) return NaN;
  const d = digitsAt(buf, s + 8, 2, e);
  if (d < 1 || d > daysInMonth(y, mo)) return NaN;
  const days = daysFromCivil(y, mo, d);
  let i = s + 10;
  if (i === e) return days * DAY_MS;
  const sep = buf[i];
  if (sep !== 84 && sep !== 116 && sep !== 32) return NaN; // 'T', 't', ' '
  i++;
  const hh = digitsAt(buf, i, 2, e);
  if (hh < 0 || hh > 23 || buf[i + 2] !== 58) return NaN;
  const mm = digitsAt(buf, i + 3, 2, e);
  if (mm < 0 || mm > 59) return NaN;
  i += 5;
  let ms = 0;
  if (i < e && buf[i] === 58) {
    const ss = digitsAt(buf, i + 1, 2, e);
    if (ss < 0 || ss > 59) return NaN;
    ms = ss * 1000;
    i += 3;
    if (i < e && buf[i] === 46) {
      i++;
      let scale = 100;
      const start = i;
      while (i < e && (buf[i] as number) >= 48 && (buf[i] as number) <= 57) {
        ms += ((buf[i] as number) - 48) * scale;
        scale /= 10;
        i++;
      }
      if (i === start) return NaN;
      ms = Math.round(ms);
    }
  }
  let offsetMin = 0;
  if (i < e) {
    const z = buf[i];
    if ((z === 90 || z === 122) && i + 1 === e) { // 'Z'
      i++;
    } else if (z === 43 || z === 45) { // '+' '-'
      const oh = digitsAt(buf, i + 1, 2, e);
      if (oh < 0 || oh > 23) return NaN;
      let om = 0;
      let j = i + 3;
      if (j < e) {
        if (buf[j] === 58) j++;
        om = digitsAt(buf, j, 2, e);
        if (om < 0 || om > 59) return NaN;
        j += 2;
      }
      if (j !== e) return NaN;
      offsetMin = (oh * 60 + om) * (z === 45 ? -1 : 1);
      i = e;
    } else {
      return NaN;
    }
  }
  if (i !== e) return NaN;
  return days * DAY_MS + hh * 3_600_000 + mm * 60_000 + ms - offsetMin * 60_000;
}

/** Epoch values at or above this are milliseconds (1e11 ms = 1973-03-03); below, seconds (1e11 s = year 5138). */
export const EPOCH_MS_THRESHOLD = 1e11;

/** Formats epoch ms as `YYYY-MM-DD` when at UTC midnight, else `YYYY-MM-DD HH:MM[:SS]` UTC. */
export function formatTime(ms: number): string {
  if (!Number.isFinite(ms)) return String(ms);
  const iso = new Date(ms).toISOString();
  if (ms % DAY_MS === 0) return iso.slice(0, 10);
  return iso.endsWith(':00.000Z') ? `${iso.slice(0, 10)} ${iso.slice(11, 16)}` : `${iso.slice(0, 10)} ${iso.slice(11, 19)}`;
}
