import { describe, expect, it } from 'vitest';
import type { ServiceDefinition } from '@grpc/grpc-js';
import { ConsumptionServiceService, MaintenanceServiceService, Operation, RecordConsumptionBatchRequest, RecordConsumptionRequest, Timestamp } from '@allot/contracts';
import { RejectedRequest, guardServiceDefinition, wireViolation } from './wire-guard';

const event = (over: Partial<RecordConsumptionRequest> = {}): RecordConsumptionRequest => ({
  tenantId: 'acme',
  environmentId: 'prod',
  userId: 'ada',
  idempotencyKey: 'k1',
  occurredAt: new Date('2026-12-01T10:00:00Z'),
  operation: Operation.OPERATION_RUN,
  credits: 12,
  capability: '',
  quantity: 0,
  sourceId: '',
  ...over,
});
const REQUEST = '.credits.v1.RecordConsumptionRequest';

/** The event's bytes with occurred_at (field 5) replaced by a raw Timestamp. */
function withRawTimestamp(seconds: number, nanos: number): Buffer {
  const base = Buffer.from(RecordConsumptionRequest.encode(event({ occurredAt: undefined })).finish());
  const ts = Buffer.from(Timestamp.encode({ seconds, nanos }).finish());
  return Buffer.concat([base, Buffer.from([(5 << 3) | 2, ts.length]), ts]);
}

describe('wireViolation', () => {
  it('passes an ordinary event', () => {
    expect(wireViolation(REQUEST, RecordConsumptionRequest.encode(event()).finish())).toBeNull();
  });

  it('names an int64 beyond 2^53-1, top level and inside a batch', () => {
    expect(wireViolation(REQUEST, RecordConsumptionRequest.encode(event({ credits: 2 ** 60 })).finish())).toMatchObject({
      category: 'INVALID_ARGUMENT',
      code: 'REQUEST.NUMBER_OUT_OF_RANGE',
      field: 'credits',
    });
    const batch = RecordConsumptionBatchRequest.encode({ events: [event(), event({ quantity: 2 ** 55 })] }).finish();
    expect(wireViolation('.credits.v1.RecordConsumptionBatchRequest', batch)).toMatchObject({ field: 'events[1].quantity' });
  });

  it('refuses Timestamp nanos outside 0..999999999 and seconds past 9999', () => {
    expect(wireViolation(REQUEST, withRawTimestamp(1_764_583_200, 2_000_000_000))).toMatchObject({ field: 'occurred_at', code: 'REQUEST.TIME_OUT_OF_RANGE' });
    expect(wireViolation(REQUEST, withRawTimestamp(1_764_583_200, -1))).toMatchObject({ field: 'occurred_at' });
    expect(wireViolation(REQUEST, withRawTimestamp(253_402_300_800, 0))).toMatchObject({ field: 'occurred_at' });
    expect(wireViolation(REQUEST, withRawTimestamp(1_764_583_200, 999_999_999))).toBeNull();
  });

  it('leaves malformed bytes to the decoder', () => {
    expect(wireViolation(REQUEST, Buffer.from([0x0a, 0xff]))).toBeNull();
  });
});

describe('guardServiceDefinition', () => {
  const guarded = guardServiceDefinition(ConsumptionServiceService as unknown as ServiceDefinition);
  const decode = (method: string, bytes: Uint8Array): unknown => guarded[method]?.requestDeserialize(Buffer.from(bytes));

  it('hands a refused request to the handler instead of failing to decode', () => {
    const out = decode('recordConsumption', RecordConsumptionRequest.encode(event({ credits: 2 ** 60 })).finish());
    expect(out).toBeInstanceOf(RejectedRequest);
    expect((out as RejectedRequest).error.field).toBe('credits');
    expect(decode('recordConsumption', withRawTimestamp(1, 2_000_000_000))).toBeInstanceOf(RejectedRequest);
  });

  it('refuses bytes that are no such message, without naming a field', () => {
    const out = decode('recordConsumption', Buffer.from([0x0a, 0xff, 0xff, 0xff]));
    expect(out).toBeInstanceOf(RejectedRequest);
    expect((out as RejectedRequest).error).toMatchObject({ code: 'REQUEST.MALFORMED', category: 'INVALID_ARGUMENT' });
  });

  it('decodes good requests as before', () => {
    expect(decode('recordConsumption', RecordConsumptionRequest.encode(event()).finish())).toMatchObject({ tenantId: 'acme', credits: 12 });
  });

  it('knows the request type of every method of the contract', () => {
    for (const service of [ConsumptionServiceService, MaintenanceServiceService]) {
      const g = guardServiceDefinition(service as unknown as ServiceDefinition);
      for (const [name, def] of Object.entries(g)) expect(def.requestDeserialize, name).not.toBe((service as unknown as ServiceDefinition)[name]?.requestDeserialize);
    }
  });
});
