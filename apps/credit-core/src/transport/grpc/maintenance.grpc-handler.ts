import { domainError } from '@allot/domain';
import type { MaintenanceServiceServer } from '@allot/contracts';
import type { CoreServices } from '../../core-services';
import { authorize, authorizeUnscoped } from '../../auth/caller';
import { CoreError } from '../../shared/core-error';
import {
  closePeriod,
  listTrials,
  reconcile,
  runTrialMaintenance,
} from '../../maintenance/maintenance.use-cases';
import { raiseForecastAlerts } from '../../maintenance/forecast-alerts.use-case';
import { unary } from './grpc-call';

/** MaintenanceService: the scheduler's calls; ADMIN keys (Ping: any key); every call idempotent. */
export function maintenanceHandlers(s: CoreServices): MaintenanceServiceServer {
  return {
    closePeriod: unary(s, 'ClosePeriod', async (caller, req) => {
      authorize(caller, 'admin', req.tenantId);
      return closePeriod(s, req);
    }),
    runTrialMaintenance: unary(s, 'RunTrialMaintenance', async (caller, req) => {
      if (req.tenantId === '') authorizeUnscoped(caller, 'admin', 'trial maintenance of every tenant');
      else authorize(caller, 'admin', req.tenantId);
      return runTrialMaintenance(s, req.tenantId, req.now);
    }),
    listTrials: unary(s, 'ListTrials', async (caller, req) => {
      if (req.tenantId === '') authorizeUnscoped(caller, 'read', 'trials of every tenant');
      else authorize(caller, 'read', req.tenantId);
      return { trials: await listTrials(s, req.tenantId, s.clock.now()) };
    }),
    reconcile: unary(s, 'Reconcile', async (caller, req) => {
      authorize(caller, 'admin', req.tenantId);
      return reconcile(s, req.tenantId);
    }),
    raiseForecastAlerts: unary(s, 'RaiseForecastAlerts', async (caller, req) => {
      authorize(caller, 'admin', req.tenantId);
      return { raised: await raiseForecastAlerts(s, req.tenantId, req.now) };
    }),
    setTestClock: unary(s, 'SetTestClock', async (caller, req) => {
      authorizeUnscoped(caller, 'admin', 'SetTestClock');
      if (!s.testClock) {
        throw new CoreError(
          domainError('FAILED_PRECONDITION', 'CLOCK.TEST_CLOCK_DISABLED', 'SetTestClock needs the core to run with CREDIT_CORE_TEST_CLOCK=true'),
        );
      }
      const now = s.clock.set(req.now === undefined ? null : req.now.getTime());
      await s.c.testClock.updateOne({ _id: 'test-clock' }, { $set: { offsetMs: s.clock.offset() } }, { upsert: true });
      s.logger.info('test clock set', { now: new Date(now).toISOString() });
      return { now: new Date(now) };
    }),
    // A no-op behind the same authentication as every call (any role): the benchmark's ceiling.
    ping: unary(s, 'Ping', async (caller) => {
      authorize(caller, 'read', '');
      return {};
    }),
  };
}
