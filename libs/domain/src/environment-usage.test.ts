import { describe, expect, it } from 'vitest';
import { addEventToUsage, copilotDrawn, emptyEnvironmentUsage } from './environment-usage';

describe('addEventToUsage', () => {
  it('adds each draw to its source, counts the event, and what it drew to its source in either currency', () => {
    const u = emptyEnvironmentUsage();
    addEventToUsage(u, [{ source: 'ALLOCATION', credits: 40 }, { source: 'OVERAGE', credits: 2 }], 'flow-1');
    addEventToUsage(u, [{ source: 'COPILOT_UNASSIGNED', credits: 1_500 }, { source: 'COPILOT_OVERAGE', credits: 100 }], 'flow-1');
    addEventToUsage(u, [], 'flow-2');
    expect(u).toMatchObject({ allocation: 40, overage: 2, events: 3, copilot: { allocation: 0, unassigned: 1_500, payg: 0, overage: 100 } });
    expect([...(u.sources ?? [])]).toEqual([['flow-1', { credits: 42, copilot: 1_600 }]]);
    expect(copilotDrawn(u)).toBe(1_600);
  });
});
