/** A small line logger shared by the apps: "2026-11-27T09:30:00.000Z INFO  month closed tenant=acme period=2026-10". */
export interface Logger {
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

function format(level: string, message: string, fields?: Record<string, unknown>): string {
  const extra = fields
    ? Object.entries(fields)
        .map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`)
        .join(' ')
    : '';
  return `${new Date().toISOString()} ${level.padEnd(5)} ${message}${extra ? ` ${extra}` : ''}\n`;
}

/** quiet: drop info lines (tests); warnings and errors always go to stderr. */
export function createLogger(quiet = false): Logger {
  return {
    info: (m, f) => {
      if (!quiet) process.stdout.write(format('INFO', m, f));
    },
    warn: (m, f) => process.stderr.write(format('WARN', m, f)),
    error: (m, f) => process.stderr.write(format('ERROR', m, f)),
  };
}
