/** Process-tree helpers of the README check: what a command started, and whether any of it is still alive. */
import { readdirSync, readFileSync } from 'node:fs';

/** Parent pid of every live process (from /proc). */
function parents(): Map<number, number> {
  const map = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // The command name (field 2) may hold spaces and parentheses: the fields after its last ')' are fixed.
      const after = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      map.set(Number(entry), Number(after[1]));
    } catch {
      /* gone meanwhile */
    }
  }
  return map;
}

/** The pid and every descendant of it, with their command lines. */
export function processTree(root: number): Map<number, string> {
  const byParent = new Map<number, number[]>();
  for (const [pid, ppid] of parents()) byParent.set(ppid, [...(byParent.get(ppid) ?? []), pid]);
  const tree = new Map<number, string>();
  const visit = (pid: number): void => {
    tree.set(pid, commandLine(pid));
    for (const child of byParent.get(pid) ?? []) visit(child);
  };
  visit(root);
  return tree;
}

export function commandLine(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim();
  } catch {
    return '';
  }
}

/** Whether a pid is a live process (a zombie counts as gone: it holds no port and runs no code). */
export function isAlive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}
