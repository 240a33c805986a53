import type { ConsumptionServiceServer } from '@allot/contracts';
import type { CoreServices } from '../../core-services';
import { authorize } from '../../auth/caller';
import { recordConsumption, recordConsumptionBatch } from '../../consumption/record-consumption.use-case';
import { checkAccess } from '../../consumption/check-access.use-case';
import { commitReservation, releaseReservation, reserveCredits } from '../../consumption/reservation.use-cases';
import { unary } from './grpc-call';

/** ConsumptionService: ADMIN or INGEST keys. */
export function consumptionHandlers(s: CoreServices): ConsumptionServiceServer {
  return {
    recordConsumption: unary(s, 'RecordConsumption', (caller, req) => recordConsumption(s, caller, req)),
    recordConsumptionBatch: unary(s, 'RecordConsumptionBatch', async (caller, req) => ({
      results: await recordConsumptionBatch(s, caller, req.events),
    })),
    checkAccess: unary(s, 'CheckAccess', async (caller, req) => {
      authorize(caller, 'ingest', req.tenantId);
      return checkAccess(s, req);
    }),
    // docs/licensing.md, Reservations.
    reserveCredits: unary(s, 'ReserveCredits', (caller, req) => reserveCredits(s, caller, req)),
    commitReservation: unary(s, 'CommitReservation', async (caller, req) => ({ result: await commitReservation(s, caller, req) })),
    releaseReservation: unary(s, 'ReleaseReservation', async (caller, req) => ({ status: await releaseReservation(s, caller, req) })),
  };
}
