/**
 * The one place that turns instants into wall-clock readings of an IANA zone and back (docs/contributing.md, rule 9).
 * Everything goes through Intl.DateTimeFormat, so the zone database of the runtime decides DST, not us.
 */

/** A wall-clock reading in some zone. month is 1..12. */
export interface WallClock {
  readonly year: number;
  readonly month: number;
  readonly day: number;
  readonly hour: number;
  readonly minute: number;
  readonly second: number;
}

const SECOND_MS = 1000;

// Formatters are costly to build and immutable, so one per zone is kept; this is memoisation, not state.
const formatters = new Map<string, Intl.DateTimeFormat>();

const formatterFor = (timeZone: string): Intl.DateTimeFormat => {
  const cached = formatters.get(timeZone);
  if (cached !== undefined) return cached;
  const created = new Intl.DateTimeFormat('en-US', {
    timeZone,
    // h23: 'en-US' would otherwise print midnight as 24 on some runtimes.
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  });
  formatters.set(timeZone, created);
  return created;
};

/** Canonical zone name, or null when the runtime does not know the zone. */
export const canonicalTimeZone = (timeZone: string): string | null => {
  if (timeZone.length === 0) return null;
  try {
    return new Intl.DateTimeFormat('en-US', { timeZone }).resolvedOptions().timeZone;
  } catch {
    return null;
  }
};

const formattedWallClock = (instantMs: number, timeZone: string): WallClock => {
  const fields = { year: 0, month: 0, day: 0, hour: 0, minute: 0, second: 0 };
  for (const part of formatterFor(timeZone).formatToParts(instantMs)) {
    if (part.type in fields) fields[part.type as keyof typeof fields] = Number(part.value);
  }
  return fields;
};

/** A local day of one zone: when its offset does not change within it (offsetMs set), readings are arithmetic. */
interface SteadyDay {
  readonly startMs: number;
  readonly endMs: number;
  /** null on a day with an offset change: its readings are formatted, but the day is not learned again. */
  readonly offsetMs: number | null;
}

// formatToParts is the costliest step of recording an event, and events of a tenant mostly fall in a few days:
// the last few steady days seen per zone are kept (memoisation of immutable facts, not state).
const steadyDays = new Map<string, SteadyDay[]>();
const STEADY_DAYS_PER_ZONE = 8;

const utcFieldsOf = (ms: number): WallClock => {
  const d = new Date(ms);
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate(), hour: d.getUTCHours(), minute: d.getUTCMinutes(), second: d.getUTCSeconds() };
};

export const wallClockOf = (instantMs: number, timeZone: string): WallClock => {
  for (const steady of steadyDays.get(timeZone) ?? []) {
    if (instantMs < steady.startMs || instantMs >= steady.endMs) continue;
    return steady.offsetMs === null ? formattedWallClock(instantMs, timeZone) : utcFieldsOf(Math.floor(instantMs / SECOND_MS) * SECOND_MS + steady.offsetMs);
  }
  const w = formattedWallClock(instantMs, timeZone);
  learnSteadyDay(w, timeZone);
  return w;
};

/** Remembers the local day of w, and whether the zone's offset is the same at its first and last second (no DST change). */
const learnSteadyDay = (w: WallClock, timeZone: string): void => {
  const startMs = startOfLocalDay(w.year, w.month, w.day, timeZone);
  const next = new Date(Date.UTC(w.year, w.month - 1, w.day + 1));
  const endMs = startOfLocalDay(next.getUTCFullYear(), next.getUTCMonth() + 1, next.getUTCDate(), timeZone);
  const startOffset = offsetAt(startMs, timeZone);
  const offsetMs = offsetAt(endMs - SECOND_MS, timeZone) === startOffset && endMs - startMs === 86_400_000 ? startOffset : null;
  steadyDays.set(timeZone, [{ startMs, endMs, offsetMs }, ...(steadyDays.get(timeZone) ?? []).slice(0, STEADY_DAYS_PER_ZONE - 1)]);
};

/** Offset of the zone from UTC at an instant, in ms (east positive), whole seconds only. */
const offsetAt = (instantMs: number, timeZone: string): number => {
  const w = formattedWallClock(instantMs, timeZone);
  const wallAsUtc = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
  return wallAsUtc - Math.floor(instantMs / 1000) * 1000;
};

const wallKey = (w: WallClock): number => Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);

/**
 * First instant at which the zone's clock reads at least the given local date at 00:00. Usually local midnight;
 * where a DST jump skips midnight (e.g. America/Santiago, Asia/Beirut) it is the instant of the jump.
 */
export const startOfLocalDay = (year: number, month: number, day: number, timeZone: string): number => {
  const target = Date.UTC(year, month - 1, day);
  // Two rounds of "guess the offset" land on the exact instant unless midnight falls in a gap or an overlap.
  const candidates = new Set<number>();
  const first = target - offsetAt(target, timeZone);
  candidates.add(first);
  candidates.add(target - offsetAt(first, timeZone));
  // An offset change near midnight can make either neighbour's offset the right one.
  candidates.add(target - offsetAt(target - 86_400_000, timeZone));
  candidates.add(target - offsetAt(target + 86_400_000, timeZone));
  const exact = [...candidates].filter((c) => wallKey(formattedWallClock(c, timeZone)) === target).sort((a, b) => a - b);
  const earliest = exact[0];
  if (earliest !== undefined) return earliest;
  // Midnight does not exist that day: binary-search the jump to the second (zone offsets are whole seconds).
  let lo = Math.min(...candidates) - 86_400_000;
  let hi = Math.max(...candidates) + 86_400_000;
  while (hi - lo > SECOND_MS) {
    const mid = lo + Math.max(SECOND_MS, Math.floor((hi - lo) / 2 / SECOND_MS) * SECOND_MS);
    if (wallKey(formattedWallClock(mid, timeZone)) >= target) hi = mid;
    else lo = mid;
  }
  return hi;
};
