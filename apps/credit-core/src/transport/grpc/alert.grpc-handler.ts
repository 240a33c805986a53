import type { AlertServiceServer } from '@allot/contracts';
import type { CoreServices } from '../../core-services';

export function alertHandlers(_s: CoreServices): Partial<AlertServiceServer> {
  return {};
}
