/** Words for people, in one place for the console, the CLI and the reports (numbers: core/format/numbers.ts). */

/** `n thing` or `n things`: "1 run", never "1 runs". */
export function plural(n: number, thing: string, things = `${thing}s`): string {
  return `${n} ${n === 1 ? thing : things}`;
}
