import { z } from 'zod';
import { IntervalSchema } from '../intervals.ts';

/**
 * The `data:download` ledger record an approved download leaves (loop.ts writes it; replay and resume
 * read it back to answer the download without the network). One schema for both sides, so the record
 * a session wrote is the record a replay reads.
 */

/** One series an approved download added to the universe. */
export const DownloadedSeriesSchema = z.object({
  symbol: z.string(),
  file: z.string(),
  /** Bars fetched by this download, and held in the file after it. */
  fetched: z.number(),
  bars: z.number(),
  first: z.string().nullable(),
  last: z.string().nullable(),
  /** sha256 of the file: a replay checks the file it reads is the one this download wrote. */
  sha256: z.string(),
});
export type DownloadedSeries = z.infer<typeof DownloadedSeriesSchema>;

export const DownloadRecordSchema = z.object({
  status: z.enum(['done', 'failed']),
  /** The interval the Director wanted; `interval` is the one fetched (Yahoo's 1h for a wanted 4h). */
  wanted: IntervalSchema,
  symbols: z.array(z.string()),
  source: z.string(),
  interval: IntervalSchema,
  from: z.string(),
  to: z.string(),
  /** The series finished (all of them when done; those before the failure otherwise, which the session does not use). */
  series: z.array(DownloadedSeriesSchema),
  /** Why it failed, in the user's words. */
  reason: z.string().optional(),
});
export type DownloadRecord = z.infer<typeof DownloadRecordSchema>;
