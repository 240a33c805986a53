import type { ReportingServiceServer, ExportUsageCsvRequest, ExportUsageCsvResponse } from '@allot/contracts';
import type { ServerWritableStream } from '@grpc/grpc-js';
import type { CoreServices } from '../../core-services';
import { authorize } from '../../auth/caller';
import { getBalance, listEnvironmentBalances } from '../../reporting/balance.use-cases';
import { getUsageReport } from '../../reporting/usage-report.use-case';
import { getForecast } from '../../reporting/forecast.use-case';
import { exportUsageCsv } from '../../reporting/csv-export.use-case';
import { admitCall, unary } from './grpc-call';
import { toServiceError } from './status-mapping';

/** ReportingService: open to every role within its tenant. */
export function reportingHandlers(s: CoreServices): ReportingServiceServer {
  return {
    getBalance: unary(s, 'GetBalance', async (caller, req) => {
      authorize(caller, 'read', req.tenantId);
      return getBalance(s, req);
    }),
    listEnvironmentBalances: unary(s, 'ListEnvironmentBalances', async (caller, req) => {
      authorize(caller, 'read', req.tenantId);
      return listEnvironmentBalances(s, req.tenantId, req.period);
    }),
    getUsageReport: unary(s, 'GetUsageReport', async (caller, req) => {
      authorize(caller, 'read', req.tenantId);
      return getUsageReport(s, req);
    }),
    getForecast: unary(s, 'GetForecast', async (caller, req) => {
      authorize(caller, 'read', req.tenantId);
      return getForecast(s, req.tenantId, req.environmentId);
    }),
    exportUsageCsv: (call: ServerWritableStream<ExportUsageCsvRequest, ExportUsageCsvResponse>) => {
      void (async () => {
        try {
          const caller = await admitCall(s, call.metadata, call.request);
          authorize(caller, 'read', call.request.tenantId);
          for await (const chunk of exportUsageCsv(s, call.request.tenantId, call.request.period)) {
            if (call.cancelled) return;
            call.write({ chunk });
          }
          call.end();
        } catch (error) {
          call.emit('error', toServiceError(error, s.logger, 'ExportUsageCsv'));
        }
      })();
    },
  };
}
