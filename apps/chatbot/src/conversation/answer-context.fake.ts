/**
 * For unit tests of answers: an AnswerContext whose core answers the few calls an answer makes with the responses a
 * test gives (built with the contracts' fromPartial, so unset fields read as the core would send them). A call the
 * test did not expect fails loudly.
 */
import type { CoreClient } from '@allot/grpc-client';
import type { AnswerContext } from './answer.context';
import { PendingActions } from './pending-actions';

/** A call's answer gets the request and the call options (the audit headers). */
type Calls = Partial<{ [S in 'admin' | 'consumption' | 'reporting']: Partial<Record<keyof CoreClient[S], (req: never, options: never) => unknown>> }>;

export function fakeAnswerContext(calls: Calls): AnswerContext {
  const service = (name: keyof Calls): unknown =>
    new Proxy(
      {},
      {
        get: (_t, method: string) => {
          const answer = (calls[name] as Record<string, ((req: never, options: never) => unknown) | undefined> | undefined)?.[method];
          return async (req: never, options: never): Promise<unknown> => {
            if (answer === undefined) throw new Error(`unexpected core call ${name}.${method}`);
            return answer(req, options);
          };
        },
      },
    );
  const core = { admin: service('admin'), consumption: service('consumption'), reporting: service('reporting') } as unknown as CoreClient;
  return {
    core,
    tenant: { tenantId: 'acme', name: 'Acme', timeZone: 'UTC' },
    context: { tenantId: 'acme', userId: 'U1', isAdmin: true, channel: { platform: 'slack', channelId: 'C1' } },
    now: new Date('2026-11-20T12:00:00Z'),
    pending: new PendingActions(),
    requests: { submit: () => Promise.reject(new Error('no capacity requests in this test')) },
  };
}
