import { describe, expect, it } from 'vitest';
import type { LedgerDoc, RollupDoc } from '../storage/collections';
import type { EnvironmentUsage } from '@allot/domain';
import { LedgerTruth, replayJournal } from './ledger-truth';

const event = (seq: number, env: string, credits: number): LedgerDoc =>
  ({
    _id: `t|k${seq}`,
    tenantId: 't',
    seq,
    period: '2026-12',
    localDate: '2026-12-03',
    environmentId: env,
    userId: 'u',
    capability: '',
    credits,
    allocationCredits: credits,
    unassignedCredits: 0,
    trialCredits: 0,
    overageCredits: 0,
  }) as LedgerDoc;

describe('replayJournal', () => {
  it('adds only the events a projection document does not include yet', () => {
    // prod was written at seq 2 (events 1, 2 in it); dev never.
    const usage = new Map<string, EnvironmentUsage>([['prod', { allocation: 30, unassigned: 0, trial: 0, overage: 0, events: 2 }]]);
    const rollups = new Map<string, RollupDoc>([
      ['t|2026-12|2026-12-03|prod|u|', { _id: 't|2026-12|2026-12-03|prod|u|', tenantId: 't', period: '2026-12', localDate: '2026-12-03', environmentId: 'prod', userId: 'u', capability: '', credits: 30, events: 2, trialCredits: 0, overageCredits: 0, seq: 2 }],
    ]);
    const changed = replayJournal('t', usage, { usage: new Map([['prod', 2]]), sources: new Map() }, rollups, [event(1, 'prod', 10), event(2, 'prod', 20), event(3, 'prod', 5), event(4, 'dev', 7)]);
    expect(usage.get('prod')).toEqual({ allocation: 35, unassigned: 0, trial: 0, overage: 0, events: 3 });
    expect(usage.get('dev')).toEqual({ allocation: 7, unassigned: 0, trial: 0, overage: 0, events: 1 });
    expect(rollups.get('t|2026-12|2026-12-03|prod|u|')?.credits).toBe(35);
    expect(rollups.get('t|2026-12|2026-12-03|dev|u|')?.credits).toBe(7);
    expect(changed.usageEnvs.sort()).toEqual(['dev', 'prod']);
    expect(changed.rollupIds).toHaveLength(2);
  });

  it('changes nothing when every document is up to date', () => {
    const usage = new Map<string, EnvironmentUsage>([['prod', { allocation: 10, unassigned: 0, trial: 0, overage: 0, events: 1 }]]);
    const changed = replayJournal('t', usage, { usage: new Map([['prod', 9]]), sources: new Map() }, new Map(), []);
    expect(changed).toEqual({ usageEnvs: [], rollupIds: [], sources: [] });
  });

  it('replays Copilot draws and sources: usage in thousandths, the rollup in Copilot Credits only, as recording did', () => {
    const copilotEvent = {
      ...event(5, 'prod', 100),
      allocationCredits: 0,
      sourceId: 'flow-1',
      currency: 'COPILOT',
      draws: [
        { source: 'COPILOT_ALLOCATION', credits: 1_500 },
        { source: 'COPILOT_PAYG', credits: 250 },
      ],
    } as LedgerDoc;
    const aiBuilderEvent = { ...event(6, 'prod', 40), sourceId: 'flow-1', currency: 'AI_BUILDER', draws: [{ source: 'ALLOCATION', credits: 40 }] } as LedgerDoc;
    const usage = new Map<string, EnvironmentUsage>();
    const rollups = new Map<string, RollupDoc>();
    const changed = replayJournal('t', usage, { usage: new Map(), sources: new Map() }, rollups, [copilotEvent, aiBuilderEvent]);
    expect(changed.sources).toEqual([{ env: 'prod', source: 'flow-1' }]);
    const u = usage.get('prod');
    expect(u?.copilot).toEqual({ allocation: 1_500, unassigned: 0, payg: 250, overage: 0 });
    expect(u?.allocation).toBe(40);
    expect(u?.events).toBe(2);
    expect(u?.sources?.get('flow-1')).toEqual({ credits: 40, copilot: 1_750 });
    const r = rollups.get('t|2026-12|2026-12-03|prod|u|');
    // The Copilot-charged event adds its Copilot Credits, not its AI Builder price.
    expect(r).toMatchObject({ credits: 40, copilotCredits: 1_750, events: 2 });

    // Reconcile's truth from the same rows agrees with the replay.
    const truth = new LedgerTruth('t', 0);
    truth.add(copilotEvent);
    truth.add(aiBuilderEvent);
    expect(truth.usage.get('t|2026-12|prod')?.usage).toEqual(u);
    expect(truth.rollups.get('2026-12')?.get('t|2026-12|2026-12-03|prod|u|')).toMatchObject({ credits: 40, copilotCredits: 1_750 });
  });

  it('replays a source from its own document\'s seq: a source written later than the usage is not counted twice', () => {
    const flowEvent = (seq: number, credits: number) => ({ ...event(seq, 'prod', credits), sourceId: 'flow-1', draws: [{ source: 'ALLOCATION', credits }] }) as LedgerDoc;
    // The usage document was written at seq 1, the source document at seq 2 (a flush that stopped in between).
    const usage = new Map<string, EnvironmentUsage>([['prod', { allocation: 10, unassigned: 0, trial: 0, overage: 0, events: 1, sources: new Map([['flow-1', { credits: 30, copilot: 0 }]]) }]]);
    const changed = replayJournal('t', usage, { usage: new Map([['prod', 1]]), sources: new Map([['prod\u0000flow-1', 2]]) }, new Map(), [flowEvent(1, 10), flowEvent(2, 20), flowEvent(3, 5)]);
    expect(usage.get('prod')?.allocation).toBe(35);
    expect(usage.get('prod')?.events).toBe(3);
    expect(usage.get('prod')?.sources?.get('flow-1')).toEqual({ credits: 35, copilot: 0 });
    expect(changed.sources).toEqual([{ env: 'prod', source: 'flow-1' }]);
  });
});
