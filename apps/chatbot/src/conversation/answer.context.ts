import { periodOf, previousPeriod } from '@allot/domain';
import type { CoreClient } from '@allot/grpc-client';
import type { ConversationContext } from './conversation.types';

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
}

/** The period a question is about: '' (the core's current period) or last month in the tenant's zone. */
export function periodFor(a: AnswerContext, month: 'current' | 'previous'): string {
  return month === 'current' ? '' : previousPeriod(periodOf(a.now.getTime(), a.tenant.timeZone || 'UTC'));
}
