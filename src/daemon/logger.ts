// The daemon's logger: filters by level and writes one formatted line per
// record to a sink (stdout in the daemon, an array in tests).
import { passes, type LogLevel } from './log-level.js';
import { formatLogLine, type LogFields, type LogFormat } from './log-line.js';

export interface Logger {
  debug(msg: string, fields?: LogFields): void;
  info(msg: string, fields?: LogFields): void;
  warn(msg: string, fields?: LogFields): void;
  error(msg: string, fields?: LogFields): void;
}

export interface LoggerOptions {
  level: LogLevel;
  format: LogFormat;
  write: (line: string) => void;
  now?: () => number;
}

export function createLogger(opts: LoggerOptions): Logger {
  const now = opts.now ?? Date.now;
  const log = (level: LogLevel) => (msg: string, fields: LogFields = {}) => {
    if (!passes(level, opts.level)) return;
    opts.write(`${formatLogLine(opts.format, { time: now(), level, msg, fields })}\n`);
  };
  return { debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') };
}

/** `auto`: JSON lines unless the stream is a terminal. */
export function chooseLogFormat(requested: 'auto' | LogFormat, isTty: boolean): LogFormat {
  if (requested !== 'auto') return requested;
  return isTty ? 'text' : 'json';
}
