import { spawn } from 'node:child_process';
import { openSync } from 'node:fs';

export interface SpawnedService {
  readonly pid: number;
  /** Output of the process when started with `output: 'pipe'`. */
  readonly stdout: NodeJS.ReadableStream | null;
  readonly stderr: NodeJS.ReadableStream | null;
  /** Resolves with the exit code (or signal name) when the process ends. */
  readonly exited: Promise<number | string>;
  /** Stops the service and everything it started; resolves when it is gone. */
  stop(): Promise<void>;
}

/**
 * Starts a server process in its own process group. With `tiedToParent`, a shell guard kills it when this
 * Node process dies (even by SIGKILL), so a crashed test run leaves no server behind.
 */
export function spawnService(
  command: string,
  args: readonly string[],
  options: { logFile: string | 'pipe'; tiedToParent: boolean; env?: NodeJS.ProcessEnv },
): SpawnedService {
  const out = options.logFile === 'pipe' ? 'pipe' : openSync(options.logFile, 'a');
  const quoted = [command, ...args].map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
  const script = options.tiedToParent
    ? `${quoted} & child=$!; trap 'kill $child 2>/dev/null; wait $child; exit 0' TERM INT; ` +
      `while kill -0 ${process.pid} 2>/dev/null && kill -0 $child 2>/dev/null; do sleep 0.5; done; kill $child 2>/dev/null; wait $child`
    : `exec ${quoted}`;
  const child = spawn('bash', ['-c', script], {
    detached: true,
    stdio: ['ignore', out, out],
    env: options.env ?? process.env,
  });
  child.unref();
  const pid = child.pid;
  if (pid === undefined) throw new Error(`could not start ${command}`);
  let exited = false;
  const exitedPromise = new Promise<number | string>((resolve) =>
    child.once('exit', (code, signal) => {
      exited = true;
      resolve(code ?? signal ?? 'unknown');
    }),
  );
  return {
    pid,
    stdout: child.stdout,
    stderr: child.stderr,
    exited: exitedPromise,
    stop: async () => {
      if (exited) return;
      const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      try {
        process.kill(-pid, 'SIGTERM');
      } catch {
        return;
      }
      const timer = setTimeout(() => {
        try {
          process.kill(-pid, 'SIGKILL');
        } catch {
          /* already gone */
        }
      }, 5_000);
      await gone;
      clearTimeout(timer);
    },
  };
}
