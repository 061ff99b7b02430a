// One structured logger (pino). Modules take a child with their name: logger.child({ module: 'store' }).
import { pino, type Logger as PinoLogger } from 'pino';

export type Logger = PinoLogger;

export interface LoggerOptions {
  level?: string;
  /** Tests pass quiet: true so only real problems show. */
  quiet?: boolean;
}

export function createLogger(opts: LoggerOptions = {}): Logger {
  return pino({ level: opts.quiet ? 'silent' : (opts.level ?? 'info'), base: { app: 'shortline' } });
}

export const silentLogger = (): Logger => createLogger({ quiet: true });
