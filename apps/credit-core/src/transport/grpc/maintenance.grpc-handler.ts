import type { MaintenanceServiceServer } from '@allot/contracts';
import type { CoreServices } from '../../core-services';

export function maintenanceHandlers(_s: CoreServices): Partial<MaintenanceServiceServer> {
  return {};
}
