import { describe, expect, it } from 'vitest';
import type { Operation, Stage } from './stage';
import { DEFAULT_STAGE_THRESHOLDS, isBillable, stageAllows, stageFor, stageSeverity, validateThresholds } from './stage';

const T = DEFAULT_STAGE_THRESHOLDS;

describe('stageFor at the boundaries of docs/credit-rules.md, Stages', () => {
  it('defaults to 80 / 100 / 125', () => {
    expect(T).toEqual({ warningPercent: 80, overagePercent: 100, blockedPercent: 125 });
  });

  it.each([
    // ratio, consumed of 1,000,000, stage
    ['0.00', 0, 'NORMAL'],
    ['0.79', 790_000, 'NORMAL'],
    ['0.799999', 799_999, 'NORMAL'],
    ['0.80', 800_000, 'WARNING'],
    ['1.00', 1_000_000, 'WARNING'],
    ['1.000001', 1_000_001, 'OVERAGE'],
    ['1.01', 1_010_000, 'OVERAGE'],
    ['1.24', 1_240_000, 'OVERAGE'],
    ['1.249999', 1_249_999, 'OVERAGE'],
    ['1.25', 1_250_000, 'BLOCKED'],
    ['3.00', 3_000_000, 'BLOCKED'],
  ])('ratio %s (%i of 1,000,000) is %s', (_ratio, consumed, stage) => {
    expect(stageFor(consumed, 1_000_000, T)).toBe(stage);
  });

  it('uses exact integers at exact ratios (700 of 875 is exactly 0.80)', () => {
    // 700 / 875 = 0.8 exactly; 699 / 875 just below.
    expect(stageFor(700, 875, T)).toBe('WARNING');
    expect(stageFor(699, 875, T)).toBe('NORMAL');
    // 1,093,750 / 875,000 = 1.25 exactly.
    expect(stageFor(1_093_750, 875_000, T)).toBe('BLOCKED');
    expect(stageFor(1_093_749, 875_000, T)).toBe('OVERAGE');
  });

  it('stays exact beyond 2^53 / 100', () => {
    const big = Number.MAX_SAFE_INTEGER;
    expect(stageFor(big, big, T)).toBe('WARNING');
    expect(stageFor(big, big - 1, T)).toBe('OVERAGE');
  });

  it('is BLOCKED with no credits at all, even with nothing consumed', () => {
    expect(stageFor(0, 0, T)).toBe('BLOCKED');
    expect(stageFor(5, 0, T)).toBe('BLOCKED');
  });

  it('follows tenant thresholds', () => {
    const strict = { warningPercent: 50, overagePercent: 90, blockedPercent: 100 };
    expect(stageFor(49, 100, strict)).toBe('NORMAL');
    expect(stageFor(50, 100, strict)).toBe('WARNING');
    expect(stageFor(91, 100, strict)).toBe('OVERAGE');
    expect(stageFor(100, 100, strict)).toBe('BLOCKED');
  });
});

describe('stageAllows (operations per stage)', () => {
  const table: ReadonlyArray<[Stage, Operation, boolean]> = [
    ['NORMAL', 'RUN', true],
    ['NORMAL', 'TEST', true],
    ['NORMAL', 'TRAIN', true],
    ['NORMAL', 'MAKER', true],
    ['WARNING', 'RUN', true],
    ['WARNING', 'TEST', true],
    ['WARNING', 'TRAIN', true],
    ['WARNING', 'MAKER', true],
    ['OVERAGE', 'RUN', true],
    ['OVERAGE', 'TEST', false],
    ['OVERAGE', 'TRAIN', true],
    ['OVERAGE', 'MAKER', false],
    ['BLOCKED', 'RUN', false],
    ['BLOCKED', 'TEST', false],
    ['BLOCKED', 'TRAIN', false],
    ['BLOCKED', 'MAKER', false],
  ];
  it.each(table)('%s allows %s: %s', (stage, op, allowed) => {
    expect(stageAllows(stage, op)).toBe(allowed);
  });
});

describe('isBillable / stageSeverity', () => {
  it.each([
    ['RUN', true],
    ['TEST', false],
    ['TRAIN', false],
    ['MAKER', false],
  ] as const)('%s billable: %s', (op, billable) => {
    expect(isBillable(op)).toBe(billable);
  });

  it('orders stages by severity', () => {
    const stages: Stage[] = ['BLOCKED', 'NORMAL', 'OVERAGE', 'WARNING'];
    expect([...stages].sort((a, b) => stageSeverity(a) - stageSeverity(b))).toEqual(['NORMAL', 'WARNING', 'OVERAGE', 'BLOCKED']);
    expect(stageSeverity('NORMAL')).toBe(0);
    expect(stageSeverity('BLOCKED')).toBe(3);
  });
});

describe('validateThresholds', () => {
  it('accepts the defaults and warning = overage', () => {
    expect(validateThresholds(T)).toEqual({ ok: true, value: T });
    expect(validateThresholds({ warningPercent: 100, overagePercent: 100, blockedPercent: 101 }).ok).toBe(true);
  });

  it.each([
    [{ warningPercent: 0, overagePercent: 100, blockedPercent: 125 }, 'thresholds.warning_percent'],
    [{ warningPercent: 80.5, overagePercent: 100, blockedPercent: 125 }, 'thresholds.warning_percent'],
    [{ warningPercent: 80, overagePercent: -1, blockedPercent: 125 }, 'thresholds.overage_percent'],
    [{ warningPercent: 110, overagePercent: 100, blockedPercent: 125 }, 'thresholds.warning_percent'],
    [{ warningPercent: 80, overagePercent: 125, blockedPercent: 125 }, 'thresholds.blocked_percent'],
  ])('refuses %j on %s', (t, field) => {
    expect(validateThresholds(t)).toMatchObject({
      ok: false,
      error: { category: 'INVALID_ARGUMENT', code: 'SETTINGS.INVALID_THRESHOLDS', field },
    });
  });
});
