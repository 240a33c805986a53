import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { ApiKeyDoc, Collections } from '../storage/collections';
import { BOOTSTRAP_KEY_ID, type Caller, type KeyRole } from './caller';

export const hashSecret = (secret: string): string => createHash('sha256').update(secret).digest('hex');

const CACHE_MS = 30_000;
/** Keys remembered at most (valid or not): random keys sent by anyone cannot grow the cache without bound. */
export const MAX_CACHED_KEYS = 10_000;

/**
 * API keys, stored as SHA-256 hashes. Resolved keys are cached for a short while so authentication costs no
 * database round trip on the hot path; a revocation through this process drops its entry at once.
 */
export class ApiKeyMongoRepository {
  private readonly cache = new Map<string, { caller: Caller | null; until: number }>();

  constructor(
    private readonly c: Collections,
    private readonly bootstrapKey: string,
  ) {}

  async resolve(secret: string): Promise<Caller | null> {
    if (secret === this.bootstrapKey) return { keyId: BOOTSTRAP_KEY_ID, role: 'ADMIN', tenantId: null };
    const hash = hashSecret(secret);
    const cached = this.cache.get(hash);
    if (cached !== undefined && cached.until > Date.now()) return cached.caller;
    const doc = await this.c.apiKeys.findOne({ hash });
    const caller: Caller | null =
      doc === null || doc.revokedAt !== null ? null : { keyId: doc._id, role: doc.role, tenantId: doc.tenantId };
    // The oldest entry goes first (a Map keeps insertion order); a key asked again is re-inserted as the newest.
    this.cache.delete(hash);
    if (this.cache.size >= MAX_CACHED_KEYS) {
      const oldest = this.cache.keys().next();
      if (oldest.done !== true) this.cache.delete(oldest.value);
    }
    this.cache.set(hash, { caller, until: Date.now() + CACHE_MS });
    return caller;
  }

  /** How many keys are cached (for tests and diagnostics). */
  get cachedKeys(): number {
    return this.cache.size;
  }

  /** Creates a key; returns the secret (shown once) and its id. */
  async create(tenantId: string | null, role: KeyRole, description: string): Promise<{ apiKey: string; keyId: string }> {
    const keyId = randomUUID();
    const apiKey = `ak_${randomBytes(24).toString('base64url')}`;
    const doc: ApiKeyDoc = {
      _id: keyId,
      hash: hashSecret(apiKey),
      tenantId,
      role,
      description,
      createdAt: new Date(),
      revokedAt: null,
    };
    await this.c.apiKeys.insertOne(doc);
    return { apiKey, keyId };
  }

  async find(keyId: string): Promise<ApiKeyDoc | null> {
    return this.c.apiKeys.findOne({ _id: keyId });
  }

  async revoke(keyId: string): Promise<boolean> {
    const doc = await this.c.apiKeys.findOne({ _id: keyId });
    if (doc === null) return false;
    await this.c.apiKeys.updateOne({ _id: keyId }, { $set: { revokedAt: new Date() } });
    this.cache.delete(doc.hash);
    return true;
  }
}
