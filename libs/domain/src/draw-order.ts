import type { Draw, DrawSource } from './tenant-period-state.types';

/** Takes `amount` from the sources in order, each up to what it has left; the rest goes to `rest` (overage). */
export function takeInOrder(amount: number, sources: ReadonlyArray<[DrawSource, number]>, rest: DrawSource): Draw[] {
  const draws: Draw[] = [];
  let left = amount;
  for (const [source, limit] of sources) {
    const taken = Math.min(left, Math.max(0, limit));
    if (taken > 0) {
      draws.push({ source, credits: taken });
      left -= taken;
    }
  }
  if (left > 0) draws.push({ source: rest, credits: left });
  return draws;
}
