import { afterAll, describe, expect, it } from 'vitest';
import { createCoreClient } from '@allot/grpc-client';
import { createConversation } from './conversation.service';
import type { ConversationContext } from './conversation.types';

// A core nobody listens on: every call fails with UNAVAILABLE, as when the core is down.
const core = createCoreClient({ address: '127.0.0.1:1', apiKey: 'unused-key' });
const conversation = createConversation({ core });
const ctx = (isAdmin: boolean): ConversationContext => ({
  tenantId: 'acme',
  userId: 'U1',
  isAdmin,
  channel: { platform: 'slack', channelId: 'C1' },
});

afterAll(() => core.close());

describe('conversation when the core cannot answer', () => {
  it('says the credit service is unreachable, without codes or stack traces', async () => {
    const r = await conversation.handle('balance sales prod', ctx(true));
    expect(r.title).toBe('Credit service unreachable');
    expect(r.text).toContain('not reachable right now');
    expect(r.text).not.toMatch(/UNAVAILABLE|Error|at .+\.ts/);
  });

  it('refuses a non-admin binding before calling the core', async () => {
    for (const q of ['alerts here', 'stop alerts']) {
      const r = await conversation.handle(q, ctx(false));
      expect(r.title).toBe('Only admins can change alerts');
    }
  });

  it('tells the console it cannot receive alerts', async () => {
    const r = await conversation.handle('alerts here', { ...ctx(true), channel: { platform: 'console', channelId: 'console' } });
    expect(r.text).toContain('The console cannot receive alerts');
  });
});
