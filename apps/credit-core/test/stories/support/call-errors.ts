import { expect } from 'vitest';
import { status } from '@grpc/grpc-js';
import { CoreCallError } from '@allot/grpc-client';

export { status as GrpcStatus };

/** What a refused call must look like. */
export interface ExpectedRefusal {
  /** gRPC status code (use GrpcStatus.X). */
  readonly code: status;
  /** Text (or pattern) the message must contain. */
  readonly message?: string | RegExp;
  /** Field the google.rpc.BadRequest detail must name. */
  readonly field?: string;
}

/**
 * Awaits a call that must fail, and asserts its code, message and BadRequest field. Returns the error so a test can
 * look further. The code is compared by name in the failure text, so "expected 9 got 12" reads as
 * "FAILED_PRECONDITION vs UNIMPLEMENTED".
 */
export async function expectRefused(call: Promise<unknown>, expected: ExpectedRefusal): Promise<CoreCallError> {
  let outcome: unknown;
  try {
    outcome = await call;
  } catch (e) {
    if (!(e instanceof CoreCallError)) throw e;
    expect(`${status[e.code]}: ${e.details}`).toMatch(new RegExp(`^${status[expected.code]}: `));
    if (expected.message !== undefined) {
      if (typeof expected.message === 'string') expect(e.details).toContain(expected.message);
      else expect(e.details).toMatch(expected.message);
    }
    if (expected.field !== undefined) expect(e.field).toBe(expected.field);
    return e;
  }
  throw new Error(`expected the call to be refused with ${status[expected.code]}, but it answered ${JSON.stringify(outcome)}`);
}
