/**
 * Copilot Credit actions are for tenants on the DUAL licensing model (docs/licensing.md). A CLASSIC tenant is told so
 * plainly, after one read of its settings, and nothing is changed.
 */
import { LicensingModel } from '@allot/contracts';
import type { AnswerContext } from './answer.context';
import type { Reply } from './conversation.types';
import { NOT_DUAL } from '../whatif/copilot-change';

export function notDualReply(tenantName: string, what: string): Reply {
  return {
    title: 'Copilot Credits need the DUAL licensing model',
    text:
      `${NOT_DUAL}, and ${tenantName} is on the CLASSIC model (AI Builder credits only), so I can't ${what}. Nothing was changed. ` +
      `AI Builder credits work as always, e.g. "allocate 50,000 credits to <environment>".`,
    tone: 'info',
    sections: [],
  };
}

/** The refusal for a CLASSIC tenant, or undefined when the tenant is on DUAL. */
export async function refuseUnlessDual(a: AnswerContext, what: string): Promise<Reply | undefined> {
  const { tenant } = await a.core.admin.getTenant({ tenantId: a.tenant.tenantId });
  return tenant?.licensingModel === LicensingModel.LICENSING_MODEL_DUAL ? undefined : notDualReply(a.tenant.name, what);
}
