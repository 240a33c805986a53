/**
 * Story 5: a client that retries counts once. A consumption sent four times (and four times at once) is recorded
 * once; retries get the first answer with duplicate=true; the same key with other content is ALREADY_EXISTS and
 * changes nothing; a batch that repeats a key counts it once.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DrawSource, type RecordConsumptionResponse } from '@allot/contracts';
import { startStoryCore, type StoryCore } from './support/story-core';
import { buildTenant } from './support/tenant-builder';
import { consumptionEvent, freshKey } from './support/consumption-events';
import { expectRefused, GrpcStatus } from './support/call-errors';

describe('story 5: retried consumption counts once', () => {
  let sc: StoryCore;
  let tenantId = '';
  let expectedConsumed = 0;
  const occurredAt = new Date(Date.now() - 60_000);
  beforeAll(async () => {
    sc = await startStoryCore();
    tenantId = (
      await buildTenant(sc.admin, { name: 'litware', entitlements: [{ addOnUnits: 1 }], environments: [{ id: 'prod', allocation: 50_000 }] })
    ).tenantId;
  });
  afterAll(async () => {
    await sc?.stop();
  });

  const consumed = async (): Promise<number> =>
    (await sc.admin.reporting.getBalance({ tenantId, environmentId: 'prod', userId: '', period: '' })).consumed;
  const event = (idempotencyKey: string, credits: number, userId = 'dana') =>
    consumptionEvent({ tenantId, environmentId: 'prod', userId, idempotencyKey, credits, occurredAt });
  const sameAnswer = (a: RecordConsumptionResponse, b: RecordConsumptionResponse) => {
    expect({ ...b, duplicate: false }).toEqual({ ...a, duplicate: false });
  };

  it('records a consumption once although it is sent 1 + 3 times', async () => {
    const key = freshKey('retry');
    const first = await sc.admin.consumption.recordConsumption(event(key, 1_234));
    expect(first).toMatchObject({ credits: 1_234, duplicate: false });
    expect(first.draws).toEqual([{ source: DrawSource.DRAW_SOURCE_ALLOCATION, credits: 1_234 }]);
    expect(first.eventId).not.toBe('');
    expectedConsumed += 1_234;
    for (let retry = 1; retry <= 3; retry++) {
      const again = await sc.admin.consumption.recordConsumption(event(key, 1_234));
      expect(again.duplicate).toBe(true);
      sameAnswer(first, again);
    }
    expect(await consumed()).toBe(1_234);
    const tenant = await sc.admin.reporting.getBalance({ tenantId, environmentId: '', userId: '', period: '' });
    expect(tenant.consumed).toBe(1_234);
  });

  it('refuses the same key with other content (ALREADY_EXISTS) and changes nothing', async () => {
    const key = freshKey('reuse');
    await sc.admin.consumption.recordConsumption(event(key, 10));
    expectedConsumed += 10;
    await expectRefused(sc.admin.consumption.recordConsumption(event(key, 11)), { code: GrpcStatus.ALREADY_EXISTS });
    await expectRefused(sc.admin.consumption.recordConsumption(event(key, 10, 'eve')), { code: GrpcStatus.ALREADY_EXISTS });
    expect(await consumed()).toBe(expectedConsumed);
    expect(expectedConsumed).toBe(1_244);
  });

  it('records one of four identical calls sent at the same instant', async () => {
    const key = freshKey('race');
    const answers = await Promise.all([1, 2, 3, 4].map(() => sc.admin.consumption.recordConsumption(event(key, 500))));
    expectedConsumed += 500;
    expect(answers.filter((a) => !a.duplicate)).toHaveLength(1);
    for (const a of answers) expect(a.eventId).toBe(answers[0]?.eventId);
    expect(await consumed()).toBe(expectedConsumed);
  });

  it('counts a key repeated inside one batch once, and a batch retry of a single call as a duplicate', async () => {
    const k1 = freshKey('b');
    const k2 = freshKey('b');
    const { results } = await sc.admin.consumption.recordConsumptionBatch({
      events: [event(k1, 100), event(k2, 200), event(k1, 100)],
    });
    expect(results).toHaveLength(3);
    expect(results.map((r) => r.error)).toEqual([undefined, undefined, undefined]);
    expect(results.map((r) => r.result?.duplicate)).toEqual([false, false, true]);
    expect(results[2]?.result?.eventId).toBe(results[0]?.result?.eventId);
    expect(results.map((r) => r.result?.credits)).toEqual([100, 200, 100]);
    expectedConsumed += 300;
    expect(await consumed()).toBe(expectedConsumed);

    // The same events again as a batch: all duplicates, nothing added.
    const retry = await sc.admin.consumption.recordConsumptionBatch({ events: [event(k2, 200), event(k1, 100)] });
    expect(retry.results.map((r) => r.result?.duplicate)).toEqual([true, true]);
    expect(await consumed()).toBe(expectedConsumed);
  });

  it('refuses, per item, a batch key repeated with other content', async () => {
    const k = freshKey('bc');
    const { results } = await sc.admin.consumption.recordConsumptionBatch({ events: [event(k, 40), event(k, 41)] });
    expect(results[0]?.result).toMatchObject({ credits: 40, duplicate: false });
    expect(results[1]?.result).toBeUndefined();
    expect(results[1]?.error?.code).toBe(GrpcStatus.ALREADY_EXISTS);
    expectedConsumed += 40;
    expect(await consumed()).toBe(expectedConsumed);
    expect(expectedConsumed).toBe(1_234 + 10 + 500 + 300 + 40);
  });
});
