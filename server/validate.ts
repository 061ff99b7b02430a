// The one validation wrapper of every boundary: handlers receive typed data or a 400 was sent.
import type { z } from 'zod';
import { invalid } from './errors.js';

export function parse<S extends z.ZodType>(schema: S, data: unknown, what = 'request body'): z.infer<S> {
  const r = schema.safeParse(data);
  if (!r.success) throw invalid(r.error, what);
  return r.data;
}
