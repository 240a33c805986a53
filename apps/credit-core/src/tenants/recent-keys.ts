import type { RecordedEvent } from '../storage/mappers';

export interface RecentKey {
  readonly fingerprint: string;
  readonly environmentId: string;
  readonly userId: string;
  readonly result: RecordedEvent;
}

/**
 * The last few thousand idempotency keys a tenant recorded, with their first answers: a retry of one of them is
 * answered without a round trip. Bounded (least recently used first out); the database stays the only judge of
 * whether a key is new, so forgetting a key costs a lookup, never a double count.
 */
export class RecentKeys {
  private readonly keys = new Map<string, RecentKey>();

  constructor(private readonly capacity: number) {}

  get size(): number {
    return this.keys.size;
  }

  get(id: string): RecentKey | undefined {
    const hit = this.keys.get(id);
    if (hit === undefined) return undefined;
    this.keys.delete(id);
    this.keys.set(id, hit);
    return hit;
  }

  set(id: string, key: RecentKey): void {
    this.keys.delete(id);
    this.keys.set(id, key);
    while (this.keys.size > this.capacity) {
      const oldest = this.keys.keys().next();
      if (oldest.done === true) break;
      this.keys.delete(oldest.value);
    }
  }

  clear(): void {
    this.keys.clear();
  }
}
