import type { Clock } from './clock';
import type { Logger } from './logger';
import type { Collections } from './storage/collections';
import type { AlertOutbox } from './alerts/alert-outbox';
import type { TenantRegistry } from './tenants/tenant-registry';
import type { ApiKeyMongoRepository } from './auth/api-key.mongo-repository';
import type { AuditMongoRepository } from './audit/audit.mongo-repository';

/** What use cases depend on, built once in core.ts. */
export interface CoreServices {
  readonly c: Collections;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly outbox: AlertOutbox;
  readonly tenants: TenantRegistry;
  readonly apiKeys: ApiKeyMongoRepository;
  /** Who changed what, when and through which channel (AdminService.ListAuditEntries). */
  readonly audit: AuditMongoRepository;
  /** SetTestClock allowed (CREDIT_CORE_TEST_CLOCK=true). */
  readonly testClock: boolean;
}
