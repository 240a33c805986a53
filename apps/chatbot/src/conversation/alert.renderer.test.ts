import { describe, expect, it } from 'vitest';
import { AlertKind, Stage } from '@allot/contracts';
import type { Alert } from '@allot/contracts';
import { renderAlert } from './alert.renderer';

const base: Alert = {
  cursor: 7,
  alertId: 'al_1',
  tenantId: 'acme',
  kind: AlertKind.ALERT_KIND_STAGE_CHANGED,
  cause: 'stage:sales-prod:2026-11:WARNING',
  environmentId: 'sales-prod',
  environmentDisplayName: 'Sales Production',
  userId: '',
  period: '2026-11',
  stage: Stage.STAGE_WARNING,
  previousStage: Stage.STAGE_NORMAL,
  consumed: 340_000,
  available: 400_000,
  title: 'sales-prod is in WARNING',
  message: '',
  createdAt: new Date('2026-11-20T10:00:00Z'),
  byEnvironment: [],
  topUsers: [],
  totalOverage: 0,
  expiresAt: undefined,
  source: '',
};

const stage = (previousStage: Stage, s: Stage, consumed: number): Alert => ({ ...base, previousStage, stage: s, consumed });

describe('renderAlert', () => {
  it('warns when an environment nears its limit', () => {
    const r = renderAlert(base);
    expect(r.tone).toBe('warning');
    expect(r.title).toBe('Sales Production (sales-prod) is near its credit limit');
    expect(r.text).toContain('340,000 credits of 400,000 credits (85%)');
    expect(r.sections[0]?.facts).toContainEqual({ label: 'Stage', value: 'Normal → Warning' });
    expect(r.sections[0]?.facts).toContainEqual({ label: 'Period', value: 'November 2026' });
    expect(r.sections[0]?.progress).toEqual({ used: 340_000, available: 400_000 });
  });

  it('alarms on overage and says what is refused', () => {
    const r = renderAlert(stage(Stage.STAGE_WARNING, Stage.STAGE_OVERAGE, 440_000));
    expect(r.tone).toBe('overage');
    expect(r.title).toContain('over its credit limit');
    expect(r.text).toContain('building and testing models are refused');
    expect(r.text).toContain('110%');
  });

  it('alarms harder when blocked', () => {
    const r = renderAlert(stage(Stage.STAGE_OVERAGE, Stage.STAGE_BLOCKED, 500_000));
    expect(r.tone).toBe('blocked');
    expect(r.title).toBe('Sales Production (sales-prod) is blocked');
    expect(r.text).toContain('every AI operation there is refused');
  });

  it('reassures when the stage goes back down', () => {
    const r = renderAlert(stage(Stage.STAGE_BLOCKED, Stage.STAGE_NORMAL, 500_000));
    expect(r.tone).toBe('good');
    expect(r.title).toBe('Sales Production (sales-prod) is back to normal');
    expect(r.text).toContain('was Blocked');
    const down = renderAlert(stage(Stage.STAGE_OVERAGE, Stage.STAGE_WARNING, 390_000));
    expect(down.title).toContain('back to Warning');
  });

  it('names the shared pool when the alert has no environment', () => {
    expect(renderAlert({ ...base, environmentId: '', environmentDisplayName: '' }).title).toBe("acme's shared pool is near its credit limit");
  });

  it('tells a trial is expiring with the day and the days left', () => {
    const r = renderAlert({
      ...base,
      kind: AlertKind.ALERT_KIND_TRIAL_EXPIRING,
      environmentId: '',
      userId: 'U042',
      expiresAt: new Date('2026-11-27T10:00:00Z'),
      consumed: 50_000,
      available: 200_000,
    });
    expect(r.tone).toBe('warning');
    expect(r.text).toContain('U042');
    expect(r.text).toContain('in 7 days (27 Nov 2026)');
    expect(r.sections[0]?.facts).toContainEqual({ label: 'Trial credits used', value: '50,000 credits of 200,000 credits' });
  });

  it('says an expired or exhausted trial now refuses runs', () => {
    const expired = renderAlert({ ...base, kind: AlertKind.ALERT_KIND_TRIAL_EXPIRED, userId: 'U042', expiresAt: new Date('2026-11-20T00:00:00Z') });
    expect(expired.tone).toBe('blocked');
    expect(expired.title).toBe('Trial of U042 has expired');
    expect(expired.text).toContain('20 Nov 2026');
    const exhausted = renderAlert({ ...base, kind: AlertKind.ALERT_KIND_TRIAL_EXHAUSTED, userId: 'U042' });
    expect(exhausted.title).toBe('Trial of U042 is used up');
    expect(exhausted.text).toContain('refused');
  });

  it('asks an admin to fix an over-allocation, keeping the core message', () => {
    const r = renderAlert({ ...base, kind: AlertKind.ALERT_KIND_OVER_ALLOCATED, environmentId: '', message: 'allocations exceed capacity by 200000' });
    expect(r.tone).toBe('warning');
    expect(r.title).toBe('acme is over-allocated');
    expect(r.text).toContain('allocations exceed capacity by 200000');
  });

  it('warns about a forecast exhaustion', () => {
    const r = renderAlert({ ...base, kind: AlertKind.ALERT_KIND_FORECAST_EXHAUSTION, message: 'projected to run out on 2026-11-24' });
    expect(r.tone).toBe('warning');
    expect(r.title).toBe('Sales Production (sales-prod) may run out this month');
    expect(r.text).toContain('2026-11-24');
  });

  it('summarises a closed month by environment and top users, with the overage', () => {
    const r = renderAlert({
      ...base,
      kind: AlertKind.ALERT_KIND_PERIOD_CLOSED,
      environmentId: '',
      byEnvironment: [
        { key: 'sales-prod', label: 'Sales Production', credits: 450_000, overageCredits: 50_000 },
        { key: 'dev', label: 'Dev', credits: 120_000, overageCredits: 0 },
      ],
      topUsers: [{ key: 'U1', label: 'alice', credits: 300_000, overageCredits: 0 }],
      totalOverage: 50_000,
    });
    expect(r.tone).toBe('overage');
    expect(r.title).toBe('November 2026 summary');
    expect(r.text).toContain('570,000 credits consumed, 50,000 credits of it over the limits');
    expect(r.sections.map((s) => s.heading)).toEqual([undefined, 'By environment', 'Top users']);
    expect(r.sections[1]?.facts).toContainEqual({ label: '1. Sales Production (sales-prod)', value: '450,000 credits (50,000 over)' });
    expect(r.sections[2]?.facts).toEqual([{ label: '1. alice', value: '300,000 credits' }]);
    const calm = renderAlert({ ...base, kind: AlertKind.ALERT_KIND_PERIOD_CLOSED, byEnvironment: [], topUsers: [], totalOverage: 0 });
    expect(calm.tone).toBe('info');
  });

  it('always has a title and a text fallback', () => {
    for (const kind of Object.values(AlertKind).filter((k): k is AlertKind => typeof k === 'number')) {
      const r = renderAlert({ ...base, kind });
      expect(r.title.length).toBeGreaterThan(0);
      expect(r.text.length).toBeGreaterThan(0);
    }
  });
});
