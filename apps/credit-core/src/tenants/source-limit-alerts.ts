import { copilotMillis, formatCopilotCredits, formatCredits, sourceLimitStatus, type TenantPeriodState } from '@allot/domain';
import type { AlertInput } from '../alerts/alert-outbox';
import type { TenantConfig } from './tenant-types';

/**
 * The source-limit alerts a period's state calls for now (docs/licensing.md, Source limits): WARNING from the
 * tenant's warning threshold of a cap, EXCEEDED once it is reached. The cause names the cap, so an alert is raised
 * once per source, period, cap and level: raising a cap and passing its new threshold alerts again.
 */
export function sourceLimitAlertsOf(tenantId: string, config: TenantConfig, state: TenantPeriodState): AlertInput[] {
  const alerts: AlertInput[] = [];
  const warningPercent = state.settings.thresholds.warningPercent;
  for (const [environmentId, limits] of state.sourceLimits()) {
    const env = config.envs.get(environmentId);
    const name = env?.displayName ?? environmentId;
    for (const [source, limit] of limits) {
      const consumed = state.sourceConsumed(environmentId, source, limit.currency);
      const status = sourceLimitStatus(limit, consumed, warningPercent);
      if (status === 'UNDER') continue;
      const copilot = limit.currency === 'COPILOT';
      const cap = copilot ? copilotMillis(limit.credits) : limit.credits;
      const used = copilot ? formatCopilotCredits(consumed) : formatCredits(consumed);
      const unit = copilot ? 'Copilot Credits' : 'AI Builder credits';
      const percent = Math.floor((consumed * 100) / cap);
      alerts.push({
        tenantId,
        kind: status === 'EXCEEDED' ? 'SOURCE_LIMIT_EXCEEDED' : 'SOURCE_LIMIT_WARNING',
        cause: `source-limit:${environmentId}:${source}:${state.period}:${limit.credits}${limit.currency}:${status}`,
        environmentId,
        environmentDisplayName: name,
        period: state.period,
        source,
        currency: limit.currency,
        // Whole credits in consumed and available; a Copilot cap's exact amounts in copilot (docs/licensing.md).
        consumed: copilot ? Math.floor(consumed / 1000) : consumed,
        available: limit.credits,
        ...(copilot ? { copilot: { consumed, available: cap } } : {}),
        title:
          status === 'EXCEEDED'
            ? `${source} reached its cap in ${name}: its runs are refused`
            : `${source} used ${percent}% of its cap in ${name}`,
        message:
          `${source} used ${used} of its ${formatCredits(limit.credits)} ${unit} cap in ${environmentId} in ${state.period}` +
          (status === 'EXCEEDED' ? '; its runs are refused until the next period or a higher cap, the rest of the environment goes on' : ''),
      });
    }
  }
  return alerts;
}
