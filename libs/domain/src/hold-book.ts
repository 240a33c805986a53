/** The open reservations of a tenant's period (docs/licensing.md, Reservations): what they hold, by source and currency. */
import type { Currency } from './copilot-amount';
import type { DrawSource, Hold } from './tenant-period-state.types';
import { currencyOfSource } from './tenant-period-state.types';

export class HoldBook {
  /** Taken over: the core loads the period's open reservations into this very map. */
  constructor(private readonly open: Map<string, Hold>) {}

  all(): ReadonlyMap<string, Hold> {
    return this.open;
  }

  add(hold: Hold): void {
    this.open.set(hold.reservationId, hold);
  }

  /** Removes a hold (commit or release); false if it was not open. */
  remove(reservationId: string): boolean {
    return this.open.delete(reservationId);
  }

  /** Drops the holds whose time to live ran out at nowMs (they release themselves); returns them. */
  expire(nowMs: number): Hold[] {
    const expired: Hold[] = [];
    for (const h of this.open.values()) if (h.expiresAtMs <= nowMs) expired.push(h);
    for (const h of expired) this.open.delete(h.reservationId);
    return expired;
  }

  /** Credits (or thousandths) held from one source, optionally only by some holds. */
  from(source: DrawSource, which?: (h: Hold) => boolean): number {
    let held = 0;
    for (const h of this.open.values()) {
      if (which !== undefined && !which(h)) continue;
      for (const d of h.draws) if (d.source === source) held += d.credits;
    }
    return held;
  }

  /** What an environment's holds (only one source's, when sourceId is given) hold in a currency. */
  inCurrency(environmentId: string, currency: Currency, sourceId?: string): number {
    let held = 0;
    for (const h of this.open.values()) {
      if (h.environmentId !== environmentId || (sourceId !== undefined && h.sourceId !== sourceId)) continue;
      for (const d of h.draws) if (currencyOfSource(d.source) === currency) held += d.credits;
    }
    return held;
  }
}
