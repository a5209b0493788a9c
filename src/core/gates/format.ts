/** ISO date (UTC) of an epoch-ms time: for notes that name a day or a week. */
export function isoDay(t: number): string {
  return new Date(t).toISOString().slice(0, 10);
}
