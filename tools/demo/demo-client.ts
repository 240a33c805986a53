/** What the demo seeders share: the core client, "create unless it exists", event times, recording a plan. */
import { createCoreClient, CoreCallError, type CoreClient } from '@allot/grpc-client';
import type { RecordConsumptionBatchItem, RecordConsumptionRequest } from '@allot/contracts';
import { devAdminKey } from '@allot/local-services';

const ALREADY_EXISTS = 6;

export const say = (line: string): void => void process.stdout.write(`${line}\n`);

/** The core at CREDIT_CORE_ADDR (default 127.0.0.1:50051) with CREDIT_CORE_ADMIN_KEY, else the key `npm start` kept; undefined without a key. */
export function connect(): CoreClient | undefined {
  const key = process.env['CREDIT_CORE_ADMIN_KEY'] || devAdminKey({ create: false });
  const address = process.env['CREDIT_CORE_ADDR'] ?? '127.0.0.1:50051';
  return key ? createCoreClient({ address, apiKey: key }) : undefined;
}

/** Runs a create call; an existing object (second run) is fine. True when it was created now. */
export async function ensure(what: string, call: () => Promise<unknown>): Promise<boolean> {
  try {
    await call();
    say(`created ${what}`);
    return true;
  } catch (e) {
    if (e instanceof CoreCallError && e.code === ALREADY_EXISTS) return false;
    throw e;
  }
}

/**
 * `count` instants spread over the period (YYYY-MM) from its first day at `utcHour` UTC (a time inside the
 * tenant's month) up to a minute ago, in order: the last one a minute ago.
 */
export function spreadOverPeriod(period: string, utcHour: number, count: number): Date[] {
  const [year, month] = period.split('-').map(Number) as [number, number];
  const start = Date.UTC(year, month - 1, 1, utcHour);
  const span = Math.max(1, Date.now() - 60_000 - start);
  return Array.from({ length: count }, (_, i) => new Date(start + Math.floor((span * (i + 1)) / count)));
}

/** Records the events in one batch; prints how many were recorded and every refusal. Undefined when some were refused. */
export async function recordAll(core: CoreClient, events: RecordConsumptionRequest[]): Promise<RecordConsumptionBatchItem[] | undefined> {
  const { results } = await core.consumption.recordConsumptionBatch({ events });
  const duplicates = results.filter((r) => r.result?.duplicate).length;
  const errors = results.filter((r) => r.error).map((r) => r.error?.message);
  say(`recorded ${events.length - duplicates - errors.length} events (${duplicates} already there)`);
  for (const e of errors) say(`refused: ${e}`);
  return errors.length > 0 ? undefined : results;
}

/** A decimal amount ("166.5") in thousandths (166500); Copilot Credits are exact to the thousandth. */
export function amountMillis(amount: string): number {
  const [whole = '0', fraction = ''] = amount.split('.');
  return Number(whole) * 1000 + Number(fraction.padEnd(3, '0').slice(0, 3));
}

/** 1234567 -> "1,234,567"; with millis = true, 24166500 -> "24,166.5". */
export function formatNumber(n: number, millis = false): string {
  if (!millis) return n.toLocaleString('en-US');
  const fraction = String(n % 1000).padStart(3, '0').replace(/0+$/, '');
  return `${Math.floor(n / 1000).toLocaleString('en-US')}${fraction ? `.${fraction}` : ''}`;
}
