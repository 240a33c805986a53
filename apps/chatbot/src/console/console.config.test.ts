import { describe, expect, it } from 'vitest';
import { loadConsoleConfig } from './console.config';

describe('loadConsoleConfig', () => {
  it('uses defaults and the bot key', () => {
    expect(loadConsoleConfig({ CHATBOT_CORE_KEY: 'k1', CREDIT_CORE_ADMIN_KEY: 'k2' })).toEqual({
      coreAddress: '127.0.0.1:50051',
      coreApiKey: 'k1',
      tenantId: undefined,
      userId: 'console-user',
    });
  });

  it('falls back to the admin key and reads tenant, user and address', () => {
    expect(loadConsoleConfig({ CREDIT_CORE_ADMIN_KEY: 'k2', CHAT_TENANT: 'acme', CHAT_USER: 'ann', CREDIT_CORE_ADDR: 'core:6000', CHATBOT_CORE_KEY: '' })).toEqual({
      coreAddress: 'core:6000',
      coreApiKey: 'k2',
      tenantId: 'acme',
      userId: 'ann',
    });
  });

  it("falls back to the local key npm start generated, after both variables", () => {
    expect(loadConsoleConfig({}, 'local').coreApiKey).toBe('local');
    expect(loadConsoleConfig({ CREDIT_CORE_ADMIN_KEY: 'admin' }, 'local').coreApiKey).toBe('admin');
  });

  it('names the missing key variable', () => {
    expect(() => loadConsoleConfig({})).toThrow(/CHATBOT_CORE_KEY/);
  });

  it('names a malformed variable', () => {
    expect(() => loadConsoleConfig({ CHATBOT_CORE_KEY: 'k', CREDIT_CORE_ADDR: 'nope' })).toThrow(/CREDIT_CORE_ADDR must be host:port/);
    expect(() => loadConsoleConfig({ CHATBOT_CORE_KEY: 'k', CHAT_TENANT: 'a b' })).toThrow(/CHAT_TENANT/);
  });
});
