import { formatMillis } from '@allot/domain';
import type { CoreServices } from '../core-services';
import { optionalPeriod, requireId } from '../shared/validate';
import { readTenantState } from '../tenants/tenant-view';
import { byDayUserEnvironment } from './usage-rollups.service';
import { csvCell } from './csv-cell';

export const CSV_HEADER = 'Date,UserId,EnvironmentId,EnvironmentName,AIConsumption,IsTrial';
/** DUAL tenants: a column per currency (AIConsumption stays AI Builder credits; Copilot Credits as exact decimals). */
export const CSV_HEADER_DUAL = `${CSV_HEADER},CopilotConsumption`;

/** Microsoft consumption-report CSV, in chunks; the first chunk is the header line. */
export async function* exportUsageCsv(s: CoreServices, tenantIdRaw: string, periodRaw: string): AsyncGenerator<string> {
  const tenantId = requireId(tenantIdRaw, 'tenant_id');
  const requested = optionalPeriod(periodRaw, 'period');
  const { config, rows, dual } = await readTenantState(s, tenantId, requested, (config, state, _nowMs, rollups) => ({
    config,
    rows: byDayUserEnvironment(rollups),
    dual: state.licensingModel === 'DUAL',
  }));
  yield `${dual ? CSV_HEADER_DUAL : CSV_HEADER}\n`;
  const CHUNK_ROWS = 500;
  for (let i = 0; i < rows.length; i += CHUNK_ROWS) {
    yield rows
      .slice(i, i + CHUNK_ROWS)
      .map((r) =>
        [
          r.date,
          r.userId,
          r.environmentId,
          config.envs.get(r.environmentId)?.displayName ?? r.environmentId,
          String(r.credits),
          r.isTrial ? 'true' : 'false',
          ...(dual ? [formatMillis(r.copilot)] : []),
        ]
          .map(csvCell)
          .join(','),
      )
      .join('\n')
      .concat('\n');
  }
}
