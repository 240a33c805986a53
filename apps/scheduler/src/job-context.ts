import type { CoreClient } from '@allot/grpc-client';
import type { Clock } from './clock';
import type { Logger } from './logger';
import type { JobPayload } from './job-kinds';
import { InvalidJobPayloadError } from './errors/invalid-job-payload.error';

/** What every processor gets: the core, the clock, a logger, the call deadline. */
export interface JobContext {
  readonly core: CoreClient;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly callTimeoutMs: number;
}

/** The instant a job passes to the core: the payload's `now` (hand-run jobs), else the clock's. */
export function jobNow(payload: JobPayload, clock: Clock): Date {
  if (payload.now === undefined) return clock.now();
  const at = new Date(payload.now);
  if (Number.isNaN(at.getTime())) throw new InvalidJobPayloadError(`job payload "now" is not an ISO instant: ${payload.now}`);
  return at;
}

export function requireTenant(payload: JobPayload, kind: string): string {
  if (!payload.tenantId) throw new InvalidJobPayloadError(`${kind} job needs a tenantId`);
  return payload.tenantId;
}
