import pino from 'pino';

export type Logger = pino.Logger;

/** Structured logs (English, JSON lines). Tests pass a stream to read what was logged. */
export function createLogger(level = 'info', destination?: pino.DestinationStream): Logger {
  return pino({ level, base: { app: 'minqing' }, timestamp: pino.stdTimeFunctions.isoTime }, destination);
}

/** A logger that keeps its lines in memory, for tests that assert "one log line with the reason". */
export function memoryLogger(level = 'debug'): { log: Logger; lines: () => Record<string, unknown>[] } {
  const buf: string[] = [];
  const log = createLogger(level, { write: (s: string) => void buf.push(s) });
  return { log, lines: () => buf.map((l) => JSON.parse(l) as Record<string, unknown>) };
}
