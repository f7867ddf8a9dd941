/** Structured logging; every implementation redacts secrets. */
export interface Logger {
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

/** Token shapes of Slack, Discord and OpenAI, and `Bearer`/`Bot` credentials. */
const SECRET =
  /\b(xox[abposr]-[A-Za-z0-9-]+|xapp-[A-Za-z0-9-]+|sk-[A-Za-z0-9_-]{8,}|(?:Bearer|Bot)\s+[A-Za-z0-9._-]{8,}|[A-Za-z0-9_-]{24,}\.[A-Za-z0-9_-]{6}\.[A-Za-z0-9_-]{27,})/g;

/** The configured secrets themselves, whatever their shape (`hideInLogs`). */
const known = new Set<string>();

/** Shorter values are not taken for secrets: replacing them would garble ordinary text. */
const SHORTEST_SECRET = 6;

/**
 * Adds values to what `redact` hides wherever they appear: the tokens, keys and passwords of the
 * configuration, since a server may echo back a key of a shape no pattern knows.
 */
export function hideInLogs(...values: (string | undefined)[]): void {
  for (const value of values) {
    if (!value || value.length < SHORTEST_SECRET) continue;
    known.add(value);
    // As it reads inside a JSON log line, where quotes and backslashes are escaped.
    known.add(JSON.stringify(value).slice(1, -1));
  }
}

/** Replaces the configured secrets, and anything shaped like a credential, with `[redacted]`. */
export function redact(text: string): string {
  let hidden = text;
  for (const value of known) hidden = hidden.split(value).join('[redacted]');
  return hidden.replace(SECRET, '[redacted]');
}

/** JSON lines on a stream (stderr by default), one object per entry, secrets redacted. */
export function createLogger(
  options: { quiet?: boolean; write?: (line: string) => void } = {},
): Logger {
  const write = options.write ?? ((line: string) => process.stderr.write(line));
  const log =
    (level: string) =>
    (message: string, fields: Record<string, unknown> = {}) => {
      if (options.quiet && level === 'info') return;
      const entry = { time: new Date().toISOString(), level, message, ...fields };
      write(`${redact(JSON.stringify(entry, errorReplacer))}\n`);
    };
  return { info: log('info'), warn: log('warn'), error: log('error') };
}

function errorReplacer(_key: string, value: unknown): unknown {
  if (value instanceof Error)
    return { name: value.name, message: value.message, stack: value.stack };
  return value;
}
