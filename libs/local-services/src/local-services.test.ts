import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MongoClient } from 'mongodb';
import { Redis } from 'ioredis';
import { startTestMongo, startTestRedis, type RunningService } from './index';

describe('throwaway services', () => {
  let mongo: RunningService;
  let redis: RunningService;
  beforeAll(async () => {
    [mongo, redis] = await Promise.all([startTestMongo(), startTestRedis()]);
  });
  afterAll(async () => {
    await Promise.all([mongo?.stop(), redis?.stop()]);
  });

  it('gives a MongoDB-wire database that stores and finds documents', async () => {
    const client = await MongoClient.connect(mongo.url);
    try {
      const col = client.db().collection<{ _id: string; n: number }>('probe');
      await col.insertOne({ _id: 'a', n: 41 });
      await col.updateOne({ _id: 'a' }, { $inc: { n: 1 } });
      expect((await col.findOne({ _id: 'a' }))?.n).toBe(42);
    } finally {
      await client.close();
    }
  });

  it('gives a Redis with noeviction', async () => {
    const client = new Redis(redis.url);
    try {
      await client.set('k', 'v');
      expect(await client.get('k')).toBe('v');
      const policy = (await client.config('GET', 'maxmemory-policy')) as string[];
      expect(policy[1]).toBe('noeviction');
    } finally {
      client.disconnect();
    }
  });

  it('stops an instance so its port no longer answers', async () => {
    const extra = await startTestRedis();
    await extra.stop();
    const client = new Redis(extra.url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    client.on('error', () => undefined); // the refusal is asserted below
    await expect(client.connect()).rejects.toThrow();
    client.disconnect();
  });
});
