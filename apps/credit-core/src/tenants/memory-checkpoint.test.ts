import { describe, expect, it } from 'vitest';
import { addEventToUsage, type EnvironmentUsage, type TrialState } from '@allot/domain';
import type { RollupDoc } from '../storage/collections';
import { MemoryCheckpoint } from './memory-checkpoint';

const usage = (allocation: number): EnvironmentUsage => ({ allocation, unassigned: 0, trial: 0, overage: 0, events: 1 });

describe('MemoryCheckpoint', () => {
  it('undoes usage, rollups and trial draws recorded after it, and only those', () => {
    const usageMap = new Map([['prod', usage(10)]]);
    const rollup = { _id: 'r1', credits: 5, events: 1 } as RollupDoc;
    const rollups = new Map([['r1', rollup]]);
    const trial: TrialState = { userId: 'u', credits: 100, consumed: 10, startedAtMs: 0, expiresAtMs: 1, extensions: 0, status: 'ACTIVE' };
    const trials = new Map([['u', trial]]);
    const memory = { usageOf: () => usageMap, rollupsOf: () => rollups, trials };
    const cp = new MemoryCheckpoint(memory);

    cp.usageOf('2026-12', 'prod');
    (usageMap.get('prod') as EnvironmentUsage).allocation += 7;
    cp.usageOf('2026-12', 'dev');
    usageMap.set('dev', usage(3));
    cp.rollupOf('2026-12', 'r1');
    rollup.credits += 7;
    cp.rollupOf('2026-12', 'r2');
    rollups.set('r2', { _id: 'r2', credits: 3 } as RollupDoc);
    cp.trialOf('u');
    trial.consumed = 100;
    trial.status = 'EXHAUSTED';
    // A second change of the same entry keeps the first saved value.
    cp.usageOf('2026-12', 'prod');
    (usageMap.get('prod') as EnvironmentUsage).allocation += 1;

    cp.restore();
    expect(usageMap.get('prod')?.allocation).toBe(10);
    expect(usageMap.has('dev')).toBe(false);
    // Restored in place: holders of the document see the old values.
    expect(rollup.credits).toBe(5);
    expect(rollups.has('r2')).toBe(false);
    expect(trials.get('u')).toBe(trial);
    expect([trial.consumed, trial.status]).toEqual([10, 'ACTIVE']);
  });

  it('undoes Copilot draws and the usage of each source it was told of (nested objects copied, not shared)', () => {
    const before: EnvironmentUsage = { ...usage(10), copilot: { allocation: 1_000, unassigned: 0, payg: 0, overage: 0 }, sources: new Map([['flow-1', { credits: 10, copilot: 1_000 }]]) };
    const usageMap = new Map([['prod', before]]);
    const cp = new MemoryCheckpoint({ usageOf: () => usageMap, rollupsOf: () => new Map(), trials: new Map() });
    cp.usageOf('2026-12', 'prod');
    cp.sourceOf('2026-12', 'prod', 'flow-1');
    addEventToUsage(before, [{ source: 'COPILOT_PAYG', credits: 2_500 }], 'flow-1');
    cp.sourceOf('2026-12', 'prod', 'flow-2');
    addEventToUsage(before, [{ source: 'COPILOT_UNASSIGNED', credits: 100 }], 'flow-2');
    // A second change of the same source keeps the first saved value.
    cp.sourceOf('2026-12', 'prod', 'flow-1');
    addEventToUsage(before, [{ source: 'COPILOT_PAYG', credits: 1 }], 'flow-1');
    cp.restore();
    const after = usageMap.get('prod');
    expect(after?.copilot).toEqual({ allocation: 1_000, unassigned: 0, payg: 0, overage: 0 });
    expect([...(after?.sources ?? [])]).toEqual([['flow-1', { credits: 10, copilot: 1_000 }]]);
    expect(after?.events).toBe(1);
  });
});
