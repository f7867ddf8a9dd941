import { type Logger as BoltLogger, LogLevel } from '@slack/bolt';
import type { Logger } from '../../src/logger.js';

const ORDER = [LogLevel.DEBUG, LogLevel.INFO, LogLevel.WARN, LogLevel.ERROR];

/**
 * Bolt's and the Web API client's logger interface on top of mockdesign's structured logger, so
 * their lines come out as JSON with secrets redacted. Debug lines are dropped unless asked for.
 */
export function boltLogger(logger: Logger, name = 'slack', level = LogLevel.INFO): BoltLogger {
  let current = level;
  let prefix = name;
  const enabled = (l: LogLevel) => ORDER.indexOf(l) >= ORDER.indexOf(current);
  const text = (msg: unknown[]) =>
    msg
      .map((m) => (m instanceof Error ? m.message : typeof m === 'string' ? m : JSON.stringify(m)))
      .join(' ');
  return {
    debug: (...msg) => {
      if (enabled(LogLevel.DEBUG)) logger.info(`${prefix}: ${text(msg)}`, { debug: true });
    },
    info: (...msg) => {
      if (enabled(LogLevel.INFO)) logger.info(`${prefix}: ${text(msg)}`);
    },
    warn: (...msg) => {
      if (enabled(LogLevel.WARN)) logger.warn(`${prefix}: ${text(msg)}`);
    },
    error: (...msg) => {
      if (enabled(LogLevel.ERROR)) logger.error(`${prefix}: ${text(msg)}`);
    },
    setLevel: (l) => {
      current = l;
    },
    getLevel: () => current,
    setName: (n) => {
      prefix = n;
    },
  };
}
