import { z } from 'zod';

/** Bar intervals Gauntlet knows. 10m and 30m exist only to check resampling against bundled files. */
export const IntervalSchema = z.enum(['1m', '5m', '10m', '15m', '30m', '1h', '4h', '1d']);
export type Interval = z.infer<typeof IntervalSchema>;

/** The research ladder (DESIGN §6, I3): timeframe changes move one step at a time along it. */
export const LADDER = ['1m', '5m', '15m', '1h', '4h', '1d'] as const satisfies readonly Interval[];

const MINUTE = 60_000;
export const INTERVAL_MS: Record<Interval, number> = {
  '1m': MINUTE,
  '5m': 5 * MINUTE,
  '10m': 10 * MINUTE,
  '15m': 15 * MINUTE,
  '30m': 30 * MINUTE,
  '1h': 60 * MINUTE,
  '4h': 240 * MINUTE,
  '1d': 1440 * MINUTE,
};

export function isInterval(s: string): s is Interval {
  return IntervalSchema.safeParse(s).success;
}
