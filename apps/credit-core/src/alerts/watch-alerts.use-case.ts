import type { CoreServices } from '../core-services';
import type { AlertDoc } from '../storage/collections';
import { getAlertCursor } from './alert.use-cases';

/** How often a watcher looks for alerts stored by other replicas (this process's own wake it at once). */
const POLL_MS = 2_000;
const PAGE = 500;

/**
 * Streams stored alerts after a cursor, then keeps streaming new ones until the stream ends. At most one page is
 * held per watcher, and a consumer that does not read is waited for (its own stream only). afterCursor < 0:
 * start from the subscriber's stored cursor in the caller's scope (null: all tenants). tenantId null: every tenant.
 */
export async function watchAlerts(
  s: CoreServices,
  scope: string | null,
  subscriber: string,
  afterCursor: number,
  tenantId: string | null,
  /** Resolves when the alert may be followed by the next one (the stream drained, or closed). */
  send: (alert: AlertDoc) => Promise<void>,
  isClosed: () => boolean,
): Promise<void> {
  let cursor = afterCursor >= 0 ? afterCursor : await getAlertCursor(s, scope, subscriber);
  let wake: (() => void) | null = null;
  const unsubscribe = s.outbox.onNew(() => wake?.());
  try {
    while (!isClosed()) {
      const page = await s.outbox.after(cursor, tenantId, PAGE);
      for (const alert of page) {
        if (isClosed()) return;
        // A slow consumer holds this loop, not memory: nothing more is read until its stream drains.
        await send(alert);
        cursor = alert.cursor;
      }
      if (page.length === PAGE) continue;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, POLL_MS);
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      wake = null;
    }
  } finally {
    unsubscribe();
  }
}
