/**
 * Story 4: a tenant without paid capacity. Before any trial nothing is available (ENTITLEMENT_NOT_AVAILABLE);
 * user A starts a trial (200,000 credits, 30 days) and A's runs draw on it, priced by credits or by the rate card;
 * user B has no trial and is refused (NO_CAPACITY: the tenant has an active trial, just not B's); once the tenant
 * buys capacity no new trial can start.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DenialReason, DrawSource, Stage, TrialStatus } from '@allot/contracts';
import { startStoryCore, type StoryCore } from './support/story-core';
import { addAddOn, buildTenant } from './support/tenant-builder';
import { accessQuery, consumptionEvent } from './support/consumption-events';
import { expectRefused, GrpcStatus } from './support/call-errors';

const TRIAL_CREDITS = 200_000;
const TRIAL_MS = 30 * 24 * 60 * 60 * 1000;

describe('story 4: a user trial in a tenant without paid capacity', () => {
  let sc: StoryCore;
  let tenantId = '';
  let trialConsumed = 0;
  beforeAll(async () => {
    sc = await startStoryCore();
    tenantId = (await buildTenant(sc.admin, { name: 'adatum', environments: [{ id: 'sandbox' }] })).tenantId;
  });
  afterAll(async () => {
    await sc?.stop();
  });

  const access = (userId: string) => sc.admin.consumption.checkAccess(accessQuery(tenantId, 'sandbox', undefined, userId));

  it('refuses everyone with ENTITLEMENT_NOT_AVAILABLE before any entitlement or trial exists', async () => {
    expect(await access('alice')).toMatchObject({
      allowed: false,
      stage: Stage.STAGE_BLOCKED,
      reason: DenialReason.DENIAL_REASON_ENTITLEMENT_NOT_AVAILABLE,
    });
    expect(await sc.admin.admin.getCapacity({ tenantId, period: '' })).toMatchObject({ capacity: 0, allocated: 0, unassigned: 0 });
  });

  it('starts a 200,000-credit, 30-day trial for alice', async () => {
    const before = Date.now();
    const { trial } = await sc.admin.admin.startTrial({ tenantId, userId: 'alice' });
    const after = Date.now();
    expect(trial).toMatchObject({ tenantId, userId: 'alice', credits: TRIAL_CREDITS, consumed: 0, remaining: TRIAL_CREDITS, status: TrialStatus.TRIAL_STATUS_ACTIVE });
    const expiresAt = trial?.expiresAt?.getTime() ?? 0;
    // Whole seconds on the wire: allow one second either side of the call.
    expect(expiresAt).toBeGreaterThanOrEqual(before + TRIAL_MS - 1_000);
    expect(expiresAt).toBeLessThanOrEqual(after + TRIAL_MS + 1_000);
    expect(await access('alice')).toMatchObject({ allowed: true, remaining: TRIAL_CREDITS });
  });

  it('draws alice\'s runs from her trial (DRAW_SOURCE_TRIAL), by credits and by rate card rounded up', async () => {
    const byCredits = await sc.admin.consumption.recordConsumption(
      consumptionEvent({ tenantId, environmentId: 'sandbox', userId: 'alice', credits: 1_500 }),
    );
    expect(byCredits.credits).toBe(1_500);
    expect(byCredits.draws).toEqual([{ source: DrawSource.DRAW_SOURCE_TRIAL, credits: 1_500 }]);
    trialConsumed += 1_500;

    // prompt-standard-input: 20 credits per 1,000 tokens; 2,501 tokens = 50.02 credits, rounded up to 51.
    const byRate = await sc.admin.consumption.recordConsumption(
      consumptionEvent({ tenantId, environmentId: 'sandbox', userId: 'alice', capability: 'prompt-standard-input', quantity: 2_501 }),
    );
    expect(byRate.credits).toBe(51);
    expect(byRate.draws).toEqual([{ source: DrawSource.DRAW_SOURCE_TRIAL, credits: 51 }]);
    trialConsumed += 51;

    const bal = await sc.admin.reporting.getBalance({ tenantId, environmentId: '', userId: 'alice', period: '' });
    expect(bal.trial).toMatchObject({ credits: TRIAL_CREDITS, consumed: trialConsumed, remaining: TRIAL_CREDITS - trialConsumed });
    expect(trialConsumed).toBe(1_551);
    expect(await access('alice')).toMatchObject({ allowed: true, remaining: 198_449 });
  });

  it('refuses bob, who has no trial, with NO_CAPACITY, and records his work as overage', async () => {
    expect(await access('bob')).toMatchObject({
      allowed: false,
      stage: Stage.STAGE_BLOCKED,
      reason: DenialReason.DENIAL_REASON_NO_CAPACITY,
      remaining: 0,
    });
    const res = await sc.admin.consumption.recordConsumption(
      consumptionEvent({ tenantId, environmentId: 'sandbox', userId: 'bob', credits: 300 }),
    );
    expect(res.draws).toEqual([{ source: DrawSource.DRAW_SOURCE_OVERAGE, credits: 300 }]);
    // Bob's run did not touch alice's trial.
    const bal = await sc.admin.reporting.getBalance({ tenantId, environmentId: '', userId: 'alice', period: '' });
    expect(bal.trial).toMatchObject({ consumed: trialConsumed, remaining: TRIAL_CREDITS - trialConsumed });
  });

  it('refuses a new trial once the tenant has paid capacity', async () => {
    await addAddOn(sc.admin, tenantId, 1);
    await expectRefused(sc.admin.admin.startTrial({ tenantId, userId: 'carol' }), { code: GrpcStatus.FAILED_PRECONDITION });
    // Paid capacity now feeds the pool, which comes before the trial in the draw order.
    const res = await sc.admin.consumption.recordConsumption(
      consumptionEvent({ tenantId, environmentId: 'sandbox', userId: 'carol', credits: 700 }),
    );
    expect(res.draws).toEqual([{ source: DrawSource.DRAW_SOURCE_UNASSIGNED, credits: 700 }]);
  });
});
