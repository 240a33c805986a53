import { describe, expect, it } from 'vitest';
import { Alert, AlertKind, Currency, Stage } from '@allot/contracts';
import { toAdaptiveCard, toPlainText, toSlackMessage } from '../render';
import { renderAlert } from './alert.renderer';

/** A DUAL tenant's alert: the core fills the Copilot fields (CLASSIC leaves them unset). */
const base = Alert.fromPartial({
  cursor: 7,
  alertId: 'al_1',
  tenantId: 'fabrikam',
  kind: AlertKind.ALERT_KIND_STAGE_CHANGED,
  environmentId: 'invoices',
  environmentDisplayName: 'Invoices',
  period: '2026-11',
  stage: Stage.STAGE_WARNING,
  previousStage: Stage.STAGE_NORMAL,
  consumed: 1_000_000,
  available: 1_000_000,
  createdAt: new Date('2026-11-20T10:00:00Z'),
  copilotConsumed: '46000.5',
  copilotAvailable: '55000',
});

describe('stage alerts of a DUAL tenant', () => {
  it('warns with the AI Builder and the Copilot numbers, and no grace', () => {
    const r = renderAlert(base);
    expect(r.title).toBe('Invoices (invoices) is near its credit limit');
    expect(r.text).toBe(
      'Heads up: Invoices (invoices) has used 1,000,000 of 1,000,000 AI Builder credits (100%) and 46,000.5 of 55,000 Copilot Credits (83%) this month. ' +
        'When neither currency has anything left, runs will be refused (building, testing and training models stay free).',
    );
    expect(r.sections[0]?.facts).toContainEqual({ label: 'Consumed', value: '1,000,000 AI Builder credits' });
    expect(r.sections[0]?.facts).toContainEqual({ label: 'Copilot Credits', value: '46,000.5 of 55,000 Copilot Credits (83%)' });
    expect(r.sections[0]?.copilotProgress).toEqual({ used: 46_000_500, available: 55_000_000 });
    expect(toPlainText(r)).toContain('Copilot Credits ▓▓▓▓▓▓▓▓░░ 83%');
    expect(JSON.stringify(toSlackMessage(r))).toContain('Copilot Credits `▓▓▓▓▓▓▓▓░░ 83%`');
    expect(JSON.stringify(toAdaptiveCard(r))).toContain('Copilot Credits 83%');
  });

  it('says a blocked DUAL environment refuses runs only, and "no limit" for unlimited pay-as-you-go', () => {
    const blocked = renderAlert({ ...base, stage: Stage.STAGE_BLOCKED, previousStage: Stage.STAGE_WARNING, copilotConsumed: '55000', copilotAvailable: '55000' });
    expect(blocked.tone).toBe('blocked');
    expect(blocked.text).toContain('nothing is left in either currency, so runs there are refused (building, testing and training models go on)');
    expect(blocked.text).not.toContain('every AI operation');
    const unlimited = renderAlert({ ...base, copilotConsumed: '120.25', copilotAvailable: undefined });
    expect(unlimited.text).toContain('and 120.25 Copilot Credits (pay-as-you-go, no limit)');
    expect(unlimited.sections[0]?.copilotProgress).toBeUndefined();
    const down = renderAlert({ ...base, stage: Stage.STAGE_WARNING, previousStage: Stage.STAGE_BLOCKED });
    expect(down.text).toContain('Runs work again.');
  });

  it('keeps CLASSIC stage alerts as they were', () => {
    const r = renderAlert({ ...base, copilotConsumed: undefined, copilotAvailable: undefined });
    expect(r.text).toContain('1,000,000 credits of 1,000,000 credits (100%)');
    expect(r.text).toContain('Past 100%, building and testing models will be refused.');
    expect(toPlainText(r)).not.toMatch(/Copilot|AI Builder/);
  });

  it('shows only the Copilot numbers in the Copilot Credit forecast alert', () => {
    // As the core raises it: currency COPILOT, the exact amounts in the Copilot fields, the AI Builder ones 0.
    const r = renderAlert({
      ...base,
      kind: AlertKind.ALERT_KIND_FORECAST_EXHAUSTION,
      currency: Currency.CURRENCY_COPILOT,
      consumed: 0,
      available: 0,
      message: 'at 2400.25 Copilot Credits a day, invoices uses its 55000 Copilot Credits by 2026-11-27, before 2026-11 ends (projected 70000)',
    });
    expect(r.title).toBe('Invoices (invoices) may run out of Copilot Credits this month');
    expect(r.text).toContain('will run out of Copilot Credits before the monthly reset');
    expect(r.text).toContain('by 2026-11-27');
    expect(r.sections[0]?.facts).toEqual([
      { label: 'Environment', value: 'Invoices (invoices)' },
      { label: 'Copilot Credits', value: '46,000.5 of 55,000 Copilot Credits (83%)' },
      { label: 'Period', value: 'November 2026' },
    ]);
    expect(r.sections[0]?.progress).toBeUndefined();
    expect(r.sections[0]?.copilotProgress).toEqual({ used: 46_000_500, available: 55_000_000 });
    // The AI Builder forecast alert of the same DUAL environment keeps both sides.
    const ab = renderAlert({ ...base, kind: AlertKind.ALERT_KIND_FORECAST_EXHAUSTION, currency: undefined });
    expect(ab.sections[0]?.facts).toContainEqual({ label: 'Consumed', value: '1,000,000 AI Builder credits' });
  });
});

describe('period summary of a DUAL tenant', () => {
  it('totals the Copilot Credits and their overage beside the AI Builder credits', () => {
    const r = renderAlert({
      ...base,
      kind: AlertKind.ALERT_KIND_PERIOD_CLOSED,
      environmentId: '',
      byEnvironment: [
        { key: 'invoices', label: 'Invoices', credits: 1_000_000, overageCredits: 0, copilotCredits: '55012.5' },
        { key: 'dev', label: 'Dev', credits: 0, overageCredits: 0, copilotCredits: '300' },
      ],
      topUsers: [{ key: 'U1', label: 'alice', credits: 600_000, overageCredits: 0, copilotCredits: '40000' }],
      totalOverage: 0,
      totalCopilotCredits: '55312.5',
      totalCopilotOverage: '12.5',
    });
    expect(r.tone).toBe('overage');
    expect(r.text.split('\n')).toEqual([
      'November 2026 is closed: 1,000,000 AI Builder credits and 55,312.5 Copilot Credits consumed, 12.5 Copilot Credits of it over the limits.',
      'By environment: Invoices 1,000,000 AI Builder credits · 55,012.5 Copilot Credits, Dev 300 Copilot Credits.',
      'Top users: alice 600,000 AI Builder credits · 40,000 Copilot Credits.',
      'Counts start again from 0 and blocks are lifted.',
    ]);
    expect(r.sections[0]?.facts).toEqual([
      { label: 'Consumed', value: '1,000,000 AI Builder credits' },
      { label: 'Overage', value: '0 AI Builder credits' },
      { label: 'Copilot Credits', value: '55,312.5 Copilot Credits' },
      { label: 'Copilot overage', value: '12.5 Copilot Credits' },
    ]);
    expect(r.sections[1]?.facts).toContainEqual({ label: '2. Dev (dev)', value: '300 Copilot Credits' });
  });
});

describe('source limit alerts', () => {
  const source = { ...base, kind: AlertKind.ALERT_KIND_SOURCE_LIMIT_WARNING, source: 'invoice-bot', currency: Currency.CURRENCY_COPILOT, consumed: 0, available: 0, copilotConsumed: '820.5', copilotAvailable: '1000' };

  it('warns that an app or flow nears its Copilot Credit cap', () => {
    const r = renderAlert(source);
    expect(r.tone).toBe('warning');
    expect(r.title).toBe('invoice-bot is near its cap in Invoices (invoices)');
    expect(r.text).toBe(
      "The app or flow 'invoice-bot' in Invoices (invoices) used 82% of its 1,000 Copilot Credit cap this month (820.5 of 1,000 Copilot Credits). " +
        'At the cap its runs are refused while the rest of Invoices (invoices) goes on; an admin may raise the cap.',
    );
    expect(r.sections[0]?.facts).toContainEqual({ label: 'App or flow', value: 'invoice-bot' });
    expect(r.sections[0]?.facts).toContainEqual({ label: 'Usage', value: '82%' });
    expect(r.sections[0]?.copilotProgress).toEqual({ used: 820_500, available: 1_000_000 });
  });

  it('says its runs are refused once it reached the cap, in AI Builder credits too', () => {
    const r = renderAlert({ ...source, kind: AlertKind.ALERT_KIND_SOURCE_LIMIT_EXCEEDED, currency: Currency.CURRENCY_AI_BUILDER, consumed: 5_000, available: 5_000, copilotConsumed: undefined, copilotAvailable: undefined });
    expect(r.tone).toBe('blocked');
    expect(r.title).toBe('invoice-bot reached its cap in Invoices (invoices)');
    expect(r.text).toContain("The app or flow 'invoice-bot' in Invoices (invoices) reached its 5,000 AI Builder credit cap this month (5,000 of 5,000 AI Builder credits): its runs there are refused");
    expect(r.sections[0]?.progress).toEqual({ used: 5_000_000, available: 5_000_000 });
  });

  it('falls back to the core message when the alert has no amounts', () => {
    const r = renderAlert({ ...source, currency: undefined, copilotConsumed: undefined, copilotAvailable: undefined, message: 'invoice-bot used 80% of its cap' });
    expect(r.text).toContain("The app or flow 'invoice-bot' in Invoices (invoices) is near its cap this month.");
    expect(r.text).toContain('invoice-bot used 80% of its cap');
  });
});

describe('over-allocation of Copilot Credits', () => {
  it('names the currency', () => {
    const r = renderAlert({ ...base, kind: AlertKind.ALERT_KIND_OVER_ALLOCATED, environmentId: '', currency: Currency.CURRENCY_COPILOT, copilotAvailable: '25000' });
    expect(r.title).toBe('fabrikam is over-allocated in Copilot Credits');
    expect(r.text).toContain('Copilot Credit allocations of fabrikam exceed its Copilot capacity in November 2026');
    expect(r.sections[0]?.facts).toContainEqual({ label: 'Capacity', value: '25,000 Copilot Credits' });
  });
});
