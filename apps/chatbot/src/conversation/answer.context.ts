import { periodOf, previousPeriod } from '@allot/domain';
import type { CoreClient } from '@allot/grpc-client';
import type { ConversationContext, Reply } from './conversation.types';
import type { EnvironmentRef } from './environment.matcher';
import type { PendingActions } from './pending-actions';

/** The tenant as answers need it: name for people, zone for dates. */
export interface TenantInfo {
  readonly tenantId: string;
  readonly name: string;
  readonly timeZone: string;
}

/** Everything one answer may use; built once per message by the conversation service. */
export interface AnswerContext {
  readonly core: CoreClient;
  readonly tenant: TenantInfo;
  readonly context: ConversationContext;
  readonly now: Date;
  /** Actions previewed and waiting for a yes or no. */
  readonly pending: PendingActions;
  /** Makers' capacity requests waiting for an admin. */
  readonly requests: CapacityRequestDesk;
}

/**
 * What an answer may do with capacity requests: file one (capacity-requests.ts implements it). A port, so that
 * the answers and the requests, which answer through this context, do not import each other.
 */
export interface CapacityRequestDesk {
  submit(a: AnswerContext, env: EnvironmentRef, credits: number): Promise<Reply>;
}

/** The period a question is about: '' (the core's current period) or last month in the tenant's zone. */
export function periodFor(a: AnswerContext, month: 'current' | 'previous'): string {
  return month === 'current' ? '' : previousPeriod(periodOf(a.now.getTime(), a.tenant.timeZone || 'UTC'));
}

/** The metadata that tells the core's audit who acts, through which channel. */
export function actorHeaders(c: ConversationContext): Record<string, string> {
  return {
    'x-allot-actor': `${c.channel.platform}:${c.userId}`,
    'x-allot-channel': c.channel.platform === 'console' ? 'console' : `${c.channel.platform}:${c.channel.channelId}`,
  };
}
