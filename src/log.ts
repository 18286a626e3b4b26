import fs from 'node:fs';
import pino from 'pino';
import { redactLine } from './log-redact';

export type Logger = pino.Logger;

export { protectSecrets } from './log-redact';

/**
 * Where lines go: through src/log-redact.ts first — no message text, SQL, personal data or
 * credentials, whoever logs what (fields, a child logger's bindings, the message, an error) — then
 * to `dest`. MINQING_LOG_CAPTURE=DIR appends every line to DIR/<pid>.jsonl as well: how the test
 * suite checks that no line of the whole run carries a secret, a phone number or what someone wrote
 * (test/helpers/log-audit.js).
 */
function redacting(dest: pino.DestinationStream): pino.DestinationStream {
  const dir = process.env.MINQING_LOG_CAPTURE;
  const fd = dir ? fs.openSync(`${dir}/${process.pid}.jsonl`, 'a') : null;
  return {
    write(s: string) {
      const safe = redactLine(s);
      if (fd !== null) fs.writeSync(fd, safe);
      dest.write(safe);
    },
  };
}

/** Structured logs (English, JSON lines), redacted. Tests pass a stream to read what was logged. */
export function createLogger(level = 'info', destination?: pino.DestinationStream): Logger {
  return pino({ level, base: { app: 'minqing' }, timestamp: pino.stdTimeFunctions.isoTime }, redacting(destination ?? pino.destination(1)));
}

/** A logger that keeps its lines in memory, for tests that assert "one log line with the reason". */
export function memoryLogger(level = 'debug'): { log: Logger; lines: () => Record<string, unknown>[] } {
  const buf: string[] = [];
  const log = createLogger(level, { write: (s: string) => void buf.push(s) });
  return { log, lines: () => buf.map((l) => JSON.parse(l) as Record<string, unknown>) };
}
