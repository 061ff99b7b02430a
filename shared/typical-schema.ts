// The schema of GET /api/sites/:id/typical (shared/typical.ts), for the server's answer and the
// OpenAPI document; apart from typical.ts so the resident page does not load zod for it.
import { z } from 'zod';
import type { TypicalWeek } from './typical.js';

const HourStatSchema = z.object({
  wait: z
    .number()
    .nullable()
    .describe("Median over days of the day's mean wait in this local hour; null: too few days"),
  low: z.number().nullable().describe('Lower quartile of those day means'),
  high: z.number().nullable().describe('Upper quartile of those day means'),
  days: z.number().int().min(0).describe('Days with readings in this hour'),
});

export const TypicalWeekSchema = z.object({
  enough: z.boolean().describe('False until 7 days with readings are archived: then nothing "usual" is shown'),
  days: z.number().int().min(0).describe('Local days with any reading'),
  weekday: z.array(HourStatSchema).length(24).describe('Local hours 0-23, Monday to Friday'),
  weekend: z.array(HourStatSchema).length(24).describe('Local hours 0-23, Saturday and Sunday'),
}) satisfies z.ZodType<TypicalWeek>;
