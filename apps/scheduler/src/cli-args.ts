import { parseArgs } from 'node:util';
import { InvalidConfigError } from './errors/invalid-config.error';
import { parseJobKind, type JobKind } from './job-kinds';

/** What the command line asks for: run as a service, or run one job kind by hand and exit. */
export type CliCommand =
  | { readonly mode: 'service' }
  | { readonly mode: 'once'; readonly kind: JobKind; readonly tenantId?: string; readonly now?: string };

/** Parses `[--once <job-kind> [--tenant id] [--now ISO]]`. */
export function parseCliArgs(argv: readonly string[]): CliCommand {
  const { values } = parseArgs({
    args: [...argv],
    options: { once: { type: 'string' }, tenant: { type: 'string' }, now: { type: 'string' } },
    strict: true,
    allowPositionals: false,
  });
  if (values.once === undefined) {
    if (values.tenant !== undefined || values.now !== undefined) throw new InvalidConfigError('--tenant and --now only go with --once <job-kind>');
    return { mode: 'service' };
  }
  if (values.now !== undefined && Number.isNaN(new Date(values.now).getTime())) {
    throw new InvalidConfigError(`--now must be an ISO instant (e.g. 2026-12-01T00:05:00Z), got "${values.now}"`);
  }
  return { mode: 'once', kind: parseJobKind(values.once), tenantId: values.tenant, now: values.now && new Date(values.now).toISOString() };
}
