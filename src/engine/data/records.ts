/** A small RFC 4180 CSV reader for metadata files (sector maps): quoted fields, "" escapes, CRLF. Pure. */

/** Splits CSV text into records of fields. Throws a plain Error (with the line) on an unterminated quote. */
export function parseCsvRecords(text: string): string[][] {
  const records: string[][] = [];
  let field = '';
  let rec: string[] = [];
  let i = 0;
  let line = 1;
  const n = text.charCodeAt(0) === 0xfeff ? (i = 1, text.length) : text.length;
  let quoted = false;
  let quoteLine = 0;
  while (i < n) {
    const c = text[i] as string;
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') { field += '"'; i += 2; continue; }
        quoted = false;
      } else {
        if (c === '\n') line++;
        field += c;
      }
      i++;
      continue;
    }
    if (c === '"' && field === '') { quoted = true; quoteLine = line; i++; continue; }
    if (c === ',') { rec.push(field); field = ''; i++; continue; }
    if (c === '\r' && text[i + 1] === '\n') { i++; continue; }
    if (c === '\n') {
      rec.push(field);
      records.push(rec);
      rec = [];
      field = '';
      line++;
      i++;
      continue;
    }
    field += c;
    i++;
  }
  if (quoted) throw new Error(`line ${quoteLine}: unterminated quoted field`);
  if (field !== '' || rec.length > 0) { rec.push(field); records.push(rec); }
  return records.filter((r) => !(r.length === 1 && r[0] === ''));
}
