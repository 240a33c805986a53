import type { CoreProcess } from '@allot/testing';

/** What a crash run did: how many kills, and how long the core was down each time (ms). */
export interface CrashLog {
  kills: number;
  readonly downtimes: number[];
}

/**
 * Runs `send` while the core is killed with SIGKILL (a crash) and restarted each time `acknowledged()` reaches the
 * next of `killAt`. Kills that were not reached before sending ended are skipped.
 */
export async function crashWhileSending(core: CoreProcess, killAt: readonly number[], acknowledged: () => number, send: () => Promise<void>): Promise<CrashLog> {
  const log: CrashLog = { kills: 0, downtimes: [] };
  let sending = true;
  const killer = (async () => {
    for (const threshold of killAt) {
      while (sending && acknowledged() < threshold) await new Promise((r) => setTimeout(r, 5));
      if (!sending) return;
      const downAt = Date.now();
      await core.kill();
      log.kills++;
      await new Promise((r) => setTimeout(r, 200));
      await core.restart();
      log.downtimes.push(Date.now() - downAt);
    }
  })();
  try {
    await send();
  } finally {
    sending = false;
    await killer;
  }
  return log;
}
