import { describe, expect, it } from 'vitest';
import { sumDraws } from './draw';

describe('sumDraws', () => {
  it('sums by source with missing sources at 0', () => {
    expect(
      sumDraws([
        { source: 'ALLOCATION', credits: 100 },
        { source: 'OVERAGE', credits: 7 },
        { source: 'ALLOCATION', credits: 20 },
      ]),
    ).toEqual({ ALLOCATION: 120, UNASSIGNED: 0, TRIAL: 0, OVERAGE: 7 });
  });

  it('is all zeros for no draws', () => {
    expect(sumDraws([])).toEqual({ ALLOCATION: 0, UNASSIGNED: 0, TRIAL: 0, OVERAGE: 0 });
  });
});
