import type { AlertServiceServer, WatchAlertsRequest, WatchAlertsResponse } from '@allot/contracts';
import type { ServerWritableStream } from '@grpc/grpc-js';
import type { CoreServices } from '../../core-services';
import type { Caller } from '../../auth/caller';
import { authorize, authorizeUnscoped } from '../../auth/caller';
import {
  ackAlerts,
  bindChannel,
  getAlertCursor,
  listAlerts,
  listChannelBindings,
  unbindChannel,
} from '../../alerts/alert.use-cases';
import { watchAlerts } from '../../alerts/watch-alerts.use-case';
import { requireId } from '../../shared/validate';
import { alertToWire } from '../../shared/wire';
import { admitCall, unary } from './grpc-call';
import { audited } from './audited-call';
import { toServiceError } from './status-mapping';

/** Tenant a caller may see: its own when scoped; else the requested one, or every tenant when empty. */
const visibleTenant = (caller: Caller, requested: string): string | null => {
  authorize(caller, 'read', requested);
  if (caller.tenantId !== null) return caller.tenantId;
  return requested === '' ? null : requireId(requested, 'tenant_id');
};

/** AlertService: the durable outbox and chat channel bindings (the bot owns no data). */
export function alertHandlers(s: CoreServices): AlertServiceServer {
  return {
    watchAlerts: (call: ServerWritableStream<WatchAlertsRequest, WatchAlertsResponse>) => {
      let closed = false;
      call.on('cancelled', () => {
        closed = true;
      });
      call.on('close', () => {
        closed = true;
      });
      void (async () => {
        try {
          const caller = await admitCall(s, call.metadata, call.request);
          const tenant = visibleTenant(caller, call.request.tenantId);
          requireId(call.request.subscriber, 'subscriber');
          await watchAlerts(
            s,
            caller.tenantId,
            call.request.subscriber,
            call.request.afterCursor,
            tenant,
            (alert) =>
              call.write({ alert: alertToWire(alert) })
                ? Promise.resolve()
                : new Promise<void>((resolve) => {
                    const done = (): void => {
                      call.off('drain', done);
                      call.off('close', done);
                      resolve();
                    };
                    call.on('drain', done);
                    call.on('close', done);
                  }),
            () => closed || call.cancelled,
          );
          if (!call.cancelled) call.end();
        } catch (error) {
          if (!call.cancelled) call.emit('error', toServiceError(error, s.logger, 'WatchAlerts'));
        }
      })();
    },
    // Moving a cursor changes what a consumer delivers next: a write (INGEST or ADMIN), within the key's scope.
    ackAlerts: unary(s, 'AckAlerts', async (caller, req) => {
      authorize(caller, 'ingest', '');
      return { cursor: await ackAlerts(s, caller.tenantId, req.subscriber, req.cursor) };
    }),
    getAlertCursor: unary(s, 'GetAlertCursor', async (caller, req) => {
      authorize(caller, 'read', '');
      return { cursor: await getAlertCursor(s, caller.tenantId, req.subscriber) };
    }),
    listAlerts: unary(s, 'ListAlerts', async (caller, req) => {
      const tenant = visibleTenant(caller, req.tenantId);
      return { alerts: (await listAlerts(s, tenant, req.afterCursor, req.limit)).map(alertToWire) };
    }),
    bindChannel: audited(s, 'BindChannel', (r) => ({ tenantId: r.binding?.tenantId ?? '', detail: `alerts bound to ${r.binding?.platform ?? ''}:${r.binding?.channelId ?? ''}` }), async (caller, req) => {
      authorize(caller, 'admin', req.binding?.tenantId ?? '');
      return bindChannel(s, req.binding);
    }),
    unbindChannel: audited(s, 'UnbindChannel', (r) => ({ tenantId: r.tenantId, detail: `alerts unbound from ${r.platform}:${r.channelId}` }), async (caller, req) => {
      authorize(caller, 'admin', req.tenantId);
      return { removed: await unbindChannel(s, req.tenantId, req.platform, req.channelId) };
    }),
    listChannelBindings: unary(s, 'ListChannelBindings', async (caller, req) => {
      if (req.tenantId === '') authorizeUnscoped(caller, 'read', 'bindings of every tenant');
      return { bindings: await listChannelBindings(s, visibleTenant(caller, req.tenantId)) };
    }),
  };
}
