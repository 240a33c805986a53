import { describe, expect, it } from 'vitest';
import { EnvironmentBalance, ListEnvironmentBalancesResponse, Stage } from '@allot/contracts';
import { toPlainText } from '../render';
import { fakeAnswerContext } from './answer-context.fake';
import { listByCondition } from './lists.answer';
import { stagesReply } from './status.answer';

const prod = EnvironmentBalance.fromPartial({
  environmentId: 'prod',
  displayName: 'Production',
  allocation: 10_000,
  available: 10_000,
  consumed: 8_800,
  remaining: 1_200,
  stage: Stage.STAGE_WARNING,
  copilot: { consumed: '16549.5', remaining: '8450.5', available: '25000', unlimited: false, overage: '0' },
});
const dev = EnvironmentBalance.fromPartial({
  environmentId: 'dev',
  displayName: 'Dev',
  allocation: 1_000,
  available: 1_000,
  consumed: 1_000,
  remaining: 0,
  stage: Stage.STAGE_NORMAL,
  copilot: { consumed: '12.3', unlimited: true, overage: '2.25' },
});
const list = (environments: EnvironmentBalance[]) =>
  ListEnvironmentBalancesResponse.fromPartial({ period: '2026-11', environments, periodEndsAt: new Date('2026-12-01T00:00:00Z') });
const ctx = (r: ListEnvironmentBalancesResponse) => fakeAnswerContext({ reporting: { listEnvironmentBalances: () => r } });

describe('environment balances of a DUAL tenant', () => {
  it('lists each environment with both currencies, "no limit" for unlimited pay-as-you-go', () => {
    const r = stagesReply(ctx(list([prod, dev])), list([prod, dev]));
    const lines = r.text.split('\n');
    expect(lines).toContain(
      '• Production (prod): Warning, 88% (8,800 AI Builder credits of 10,000 AI Builder credits) · Copilot Credits 8,450.5 of 25,000 left (16,549.5 used, 66%)',
    );
    expect(lines).toContain('• Dev (dev): Normal, 100% (1,000 AI Builder credits of 1,000 AI Builder credits) · Copilot Credits pay-as-you-go, no limit (12.3 used)');
    const prodSection = r.sections.find((s) => s.heading === 'Production (prod)');
    expect(prodSection?.facts).toContainEqual({ label: 'Copilot Credits', value: '8,450.5 of 25,000 left (16,549.5 used, 66%)' });
    expect(prodSection?.copilotProgress).toEqual({ used: 16_549_500, available: 25_000_000 });
    const devSection = r.sections.find((s) => s.heading === 'Dev (dev)');
    expect(devSection?.facts).toContainEqual({ label: 'Copilot overage', value: '2.25 Copilot Credits' });
    expect(devSection?.copilotProgress).toBeUndefined();
    expect(toPlainText(r)).toContain('  Copilot Credits ▓▓▓▓▓▓░░░░ 66%');
  });

  it('reads as before for a CLASSIC tenant', () => {
    const classic = EnvironmentBalance.fromPartial({ ...prod, copilot: undefined });
    const r = stagesReply(ctx(list([classic])), list([classic]));
    expect(r.text.split('\n')[1]).toBe('• Production (prod): Warning, 88% (8,800 credits of 10,000 credits)');
    expect(r.text).not.toMatch(/Copilot|AI Builder/);
    expect(r.sections[0]?.copilotProgress).toBeUndefined();
  });

  it('counts Copilot overage as over the limit and shows it', async () => {
    const r = await listByCondition(ctx(list([prod, dev])), 'over', '');
    expect(r.title).toBe('Environments over their limit, November 2026');
    expect(r.text).toBe(
      '1 environment is over their limit: Dev (dev).\n' +
        'Dev (dev): Normal, 1,000 AI Builder credits of 1,000 AI Builder credits (100%) · Copilot Credits pay-as-you-go, no limit (12.3 used), 2.25 Copilot Credits over',
    );
    const near = await listByCondition(ctx(list([prod, dev])), 'near', '');
    expect(near.text).toContain('Production (prod): Warning, 8,800 AI Builder credits of 10,000 AI Builder credits (88%) · Copilot Credits 8,450.5 of 25,000 left (16,549.5 used, 66%)');
    expect(near.sections[0]?.copilotProgress).toEqual({ used: 16_549_500, available: 25_000_000 });
  });
});
