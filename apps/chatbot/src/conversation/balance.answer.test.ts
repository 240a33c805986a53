import { describe, expect, it } from 'vitest';
import { GetBalanceResponse, ListEnvironmentBalancesResponse, Stage } from '@allot/contracts';
import { toAdaptiveCard, toPlainText, toSlackMessage } from '../render';
import { fakeAnswerContext } from './answer-context.fake';
import { environmentBalance, tenantBalance } from './balance.answer';
import type { Reply } from './conversation.types';

const PROD = { environmentId: 'sales-prod', displayName: 'Sales Production' };
const periodEndsAt = new Date('2026-12-01T00:00:00Z');

/** Sales Production under DUAL: 1,200 of 10,000 AI Builder credits and 8,450.5 of 25,000 Copilot Credits left. */
const dualProd = GetBalanceResponse.fromPartial({
  period: '2026-11',
  available: 10_000,
  consumed: 8_800,
  remaining: 1_200,
  stage: Stage.STAGE_WARNING,
  periodEndsAt,
  environmentDisplayName: 'Sales Production',
  copilot: { consumed: '16549.5', remaining: '8450.5', available: '25000', unlimited: false, overage: '0' },
});

const classicProd = GetBalanceResponse.fromPartial({ ...dualProd, copilot: undefined });

const balanceOf = (b: GetBalanceResponse) => fakeAnswerContext({ reporting: { getBalance: () => b, listEnvironmentBalances: () => ListEnvironmentBalancesResponse.fromPartial({ environments: [] }) } });

/** Every rendering of a reply. */
const everywhere = (r: Reply): string => [r.text, toPlainText(r), JSON.stringify(toSlackMessage(r)), JSON.stringify(toAdaptiveCard(r))].join('\n');

describe('balance of a DUAL environment', () => {
  it('shows the AI Builder credits and the Copilot Credits side by side', async () => {
    const r = await environmentBalance(balanceOf(dualProd), PROD);
    expect(r.text.split('\n')[0]).toBe(
      'Sales Production (sales-prod) has 1,200 of 10,000 AI Builder credits left (8,800 used, 88%) and 8,450.5 of 25,000 Copilot Credits left ' +
        '(16,549.5 used, 66%) in November 2026. Stage: Warning (near the limit in both currencies). Resets 1 Dec 2026.',
    );
    expect(r.text).toContain('AI Builder credits ▓▓▓▓▓▓▓▓░░ 88%');
    expect(r.text).toContain('Copilot Credits ▓▓▓▓▓▓░░░░ 66%');
    // Both bars side by side with the stage, then each currency's figures under its name.
    expect(r.sections.map((s) => s.heading)).toEqual([undefined, 'AI Builder credits', 'Copilot Credits']);
    expect(r.sections[0]?.progress).toEqual({ used: 8_800, available: 10_000 });
    expect(r.sections[0]?.copilotProgress).toEqual({ used: 16_549_500, available: 25_000_000 });
    expect(r.sections[0]?.facts).toContainEqual({ label: 'Stage', value: 'Warning (near the limit in both currencies)' });
    expect(r.sections[1]?.facts).toContainEqual({ label: 'Remaining', value: '1,200 AI Builder credits' });
    expect(r.sections[2]?.facts).toEqual([
      { label: 'Remaining', value: '8,450.5 Copilot Credits' },
      { label: 'Consumed', value: '16,549.5 Copilot Credits' },
      { label: 'Available', value: '25,000 Copilot Credits' },
    ]);
    const all = everywhere(r);
    expect(all).toContain('AI Builder credits `▓▓▓▓▓▓▓▓░░ 88%`');
    expect(all).toContain('Copilot Credits `▓▓▓▓▓▓░░░░ 66%`');
    expect(all).toContain('Copilot Credits 66%');
    expect(all.match(/Copilot Credits `/g)).toHaveLength(1);
  });

  it('says "pay-as-you-go, no limit" when the Copilot Credits are unlimited, and shows their overage', async () => {
    const unlimited = GetBalanceResponse.fromPartial({
      ...dualProd,
      stage: Stage.STAGE_NORMAL,
      copilot: { consumed: '1234.567', remaining: undefined, available: undefined, unlimited: true, overage: '0.5' },
    });
    const r = await environmentBalance(balanceOf(unlimited), PROD);
    expect(r.text).toContain('and 1,234.567 Copilot Credits used (pay-as-you-go, no limit) in November 2026.');
    expect(r.text).toContain('0.5 Copilot Credits over the limit.');
    expect(r.sections[2]?.facts).toEqual([
      { label: 'Remaining', value: 'pay-as-you-go, no limit' },
      { label: 'Consumed', value: '1,234.567 Copilot Credits' },
      { label: 'Overage', value: '0.5 Copilot Credits' },
    ]);
    expect(r.sections.map((x) => x.copilotProgress)).toEqual([undefined, undefined, undefined]);
  });

  it('says a blocked DUAL environment refuses runs only', async () => {
    const blocked = GetBalanceResponse.fromPartial({ ...dualProd, remaining: 0, consumed: 10_000, stage: Stage.STAGE_BLOCKED, copilot: { consumed: '25000', remaining: '0', available: '25000', unlimited: false, overage: '0' } });
    const r = await environmentBalance(balanceOf(blocked), PROD);
    expect(r.text).toContain('Stage: Blocked (nothing left in either currency: runs are refused, building and training models go on).');
    expect(r.tone).toBe('blocked');
  });
});

describe('balance of a CLASSIC environment', () => {
  it('reads exactly as before: no currency names, one bar, one section', async () => {
    const r = await environmentBalance(balanceOf(classicProd), PROD);
    expect(r.text).toBe(
      'Sales Production (sales-prod) has 1,200 of 10,000 credits left (8,800 used, 88%) in November 2026. Stage: Warning (near the limit). Resets 1 Dec 2026.\n▓▓▓▓▓▓▓▓░░ 88%',
    );
    expect(r.sections).toHaveLength(1);
    expect(r.sections[0]?.heading).toBeUndefined();
    expect(everywhere(r)).not.toMatch(/Copilot|AI Builder/);
  });
});

describe('balance of a DUAL tenant', () => {
  it('adds the tenant Copilot Credits to the headline and a Copilot section', async () => {
    const tenant = GetBalanceResponse.fromPartial({
      ...dualProd,
      capacity: 1_000_000,
      allocated: 600_000,
      unassigned: 400_000,
      available: 1_000_000,
      consumed: 605_000,
      remaining: 395_000,
      copilot: { consumed: '30000.25', remaining: '20000', available: '50000', unlimited: false, overage: '0' },
    });
    const r = await tenantBalance(balanceOf(tenant));
    expect(r.text).toContain('Acme has 395,000 of 1,000,000 AI Builder credits left (605,000 used, 60%) and 20,000 of 50,000 Copilot Credits left (30,000.25 used, 60%) in November 2026.');
    expect(r.sections[1]?.facts).toContainEqual({ label: 'Capacity', value: '1,000,000 AI Builder credits' });
    expect(r.sections[2]?.facts).toContainEqual({ label: 'Remaining', value: '20,000 Copilot Credits' });
  });
});
