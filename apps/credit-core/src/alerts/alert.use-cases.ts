import { domainError } from '@allot/domain';
import type { ChannelBinding } from '@allot/contracts';
import type { CoreServices } from '../core-services';
import type { AlertDoc, ChannelBindingDoc } from '../storage/collections';
import { CoreError } from '../shared/core-error';
import { invalid, requireId, requireText } from '../shared/validate';

const requireSubscriber = (value: string): string => requireText(requireId(value, 'subscriber'), 'subscriber', 128);

/**
 * Stored id of a subscriber's cursor. Cursors belong to the caller's tenant scope: a key scoped to tenant t
 * reads and moves only `t|subscriber` ('|' is not allowed in ids, so scopes never collide); keys for all
 * tenants keep the bare subscriber id, as before scopes were stored.
 */
const cursorIdOf = (scope: string | null, subscriber: string): string => (scope === null ? subscriber : `${scope}|${subscriber}`);

/** Stores a subscriber's cursor within the caller's scope; it never moves backwards. Returns the stored cursor. */
export async function ackAlerts(s: CoreServices, scope: string | null, subscriberRaw: string, cursor: number): Promise<number> {
  const id = cursorIdOf(scope, requireSubscriber(subscriberRaw));
  if (!Number.isSafeInteger(cursor) || cursor < 0) throw invalid('ALERT.INVALID_CURSOR', `cursor must be >= 0, got ${cursor}`, 'cursor');
  // A cursor past the newest alert would make the subscriber skip every alert raised before it gets there.
  const newest = (await s.c.alerts.find({}, { projection: { cursor: 1 } }).sort({ cursor: -1 }).limit(1).toArray())[0]?.cursor ?? 0;
  if (cursor > newest) throw invalid('ALERT.CURSOR_AHEAD', `cursor ${cursor} is past the newest alert (${newest}); acknowledge only cursors you received`, 'cursor');
  // Only-forward as a filtered update: a lower cursor matches nothing, and the upsert of a new subscriber
  // races only with itself (duplicate key, then the filtered update applies).
  const stored = await s.c.subscriberCursors.findOne({ _id: id });
  if (stored === null) {
    try {
      await s.c.subscriberCursors.insertOne({ _id: id, tenantId: scope, cursor });
      return cursor;
    } catch {
      /* created meanwhile: fall through to the forward-only update */
    }
  }
  await s.c.subscriberCursors.updateOne({ _id: id, cursor: { $lt: cursor } }, { $set: { cursor } });
  return (await s.c.subscriberCursors.findOne({ _id: id }))?.cursor ?? cursor;
}

/** The subscriber's stored cursor within the caller's scope (0 when it never acked). */
export async function getAlertCursor(s: CoreServices, scope: string | null, subscriberRaw: string): Promise<number> {
  const id = cursorIdOf(scope, requireSubscriber(subscriberRaw));
  return (await s.c.subscriberCursors.findOne({ _id: id }))?.cursor ?? 0;
}

export async function listAlerts(s: CoreServices, tenantId: string | null, afterCursor: number, limitRaw: number): Promise<AlertDoc[]> {
  if (limitRaw < 0) throw invalid('REQUEST.INVALID_LIMIT', `limit must be >= 0, got ${limitRaw}`, 'limit');
  const limit = limitRaw === 0 ? 100 : Math.min(limitRaw, 1000);
  return s.outbox.after(Math.max(0, afterCursor), tenantId, limit);
}

const bindingId = (b: { tenantId: string; platform: string; channelId: string }): string => `${b.tenantId}|${b.platform}|${b.channelId}`;

const bindingToWire = (d: ChannelBindingDoc): ChannelBinding => ({
  tenantId: d.tenantId,
  platform: d.platform,
  channelId: d.channelId,
  reference: d.reference,
  boundBy: d.boundBy,
  boundAt: d.boundAt,
});

const requirePlatform = (platform: string, field: string): string => {
  if (platform !== 'slack' && platform !== 'teams') throw invalid('BINDING.INVALID_PLATFORM', `${field} must be "slack" or "teams", got ${JSON.stringify(platform)}`, field);
  return platform;
};

const requireChannelId = (channelId: string, field: string): string => {
  if (channelId === '' || channelId.length > 512) throw invalid('BINDING.INVALID_CHANNEL', `${field} must be 1 to 512 characters, got ${channelId.length}`, field);
  return channelId;
};

/** Binds a chat channel to a tenant's alerts (updated in place when it already exists). */
export async function bindChannel(s: CoreServices, b: ChannelBinding | undefined): Promise<{ binding: ChannelBinding; alreadyBound: boolean }> {
  if (b === undefined) throw invalid('BINDING.MISSING', 'binding is required', 'binding');
  const tenantId = requireId(b.tenantId, 'binding.tenant_id');
  const platform = requirePlatform(b.platform, 'binding.platform');
  const channelId = requireChannelId(b.channelId, 'binding.channel_id');
  const reference = requireText(b.reference, 'binding.reference', 16_384);
  if ((await s.c.tenants.findOne({ _id: tenantId })) === null) {
    throw new CoreError(domainError('NOT_FOUND', 'TENANT.NOT_FOUND', `tenant ${tenantId} does not exist`, 'binding.tenant_id'));
  }
  const doc: ChannelBindingDoc = {
    _id: bindingId({ tenantId, platform, channelId }),
    tenantId,
    platform,
    channelId,
    reference,
    boundBy: requireText(b.boundBy, 'binding.bound_by'),
    boundAt: new Date(s.clock.now()),
  };
  const existing = await s.c.channelBindings.findOne({ _id: doc._id });
  await s.c.channelBindings.replaceOne({ _id: doc._id }, doc, { upsert: true });
  return { binding: bindingToWire(doc), alreadyBound: existing !== null };
}

export async function unbindChannel(s: CoreServices, tenantIdRaw: string, platform: string, channelId: string): Promise<boolean> {
  const tenantId = requireId(tenantIdRaw, 'tenant_id');
  const id = bindingId({ tenantId, platform: requirePlatform(platform, 'platform'), channelId: requireChannelId(channelId, 'channel_id') });
  const res = await s.c.channelBindings.deleteOne({ _id: id });
  return res.deletedCount > 0;
}

export async function listChannelBindings(s: CoreServices, tenantId: string | null): Promise<ChannelBinding[]> {
  const docs = await s.c.channelBindings.find(tenantId === null ? {} : { tenantId }).sort({ _id: 1 }).toArray();
  return docs.map(bindingToWire);
}
