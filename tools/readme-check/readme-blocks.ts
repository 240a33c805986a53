/**
 * Reads the command blocks that README.md marks for checking, so CI runs exactly what a user copies:
 *
 *     <!-- readme-check: NAME -->
 *     ```bash
 *     some command --flag     # a comment for the reader
 *     #> text the output must contain        (or #> /a regular expression/)
 *     ```
 *
 * A line ending in a backslash continues on the next one. Other lines starting with # are comments.
 */
export interface ReadmeStep {
  /** The command exactly as written (continuations joined), run by bash. */
  readonly command: string;
  /** Substrings (or /regex/) the command's output must contain, from the #> lines under it. */
  readonly expects: readonly string[];
  /** 1-based line of README.md where the command starts (for error messages). */
  readonly line: number;
}

export interface ReadmeBlock {
  readonly name: string;
  readonly steps: readonly ReadmeStep[];
}

const MARKER = /^<!--\s*readme-check:\s*([a-z0-9-]+)\s*-->\s*$/;

/** Every marked block of the README text, by name; throws when a marker is not followed by a bash block. */
export function readmeBlocks(text: string): Map<string, ReadmeBlock> {
  const lines = text.split('\n');
  const blocks = new Map<string, ReadmeBlock>();
  for (let i = 0; i < lines.length; i++) {
    const marker = MARKER.exec(lines[i] ?? '');
    if (marker === null) continue;
    const name = marker[1] ?? '';
    let j = i + 1;
    while ((lines[j] ?? '').trim() === '' && j < lines.length) j++;
    if (!/^```(bash|sh)\s*$/.test(lines[j] ?? '')) throw new Error(`README.md:${i + 1}: marker ${name} is not followed by a \`\`\`bash block`);
    const steps: Array<{ command: string; expects: string[]; line: number }> = [];
    let k = j + 1;
    for (; k < lines.length && !/^```\s*$/.test(lines[k] ?? ''); k++) {
      const raw = lines[k] ?? '';
      const trimmed = raw.trim();
      if (trimmed.startsWith('#>')) {
        const last = steps.at(-1);
        if (last === undefined) throw new Error(`README.md:${k + 1}: an expected output (#>) before any command`);
        last.expects.push(trimmed.slice(2).trim());
        continue;
      }
      if (trimmed === '' || trimmed.startsWith('#')) continue;
      let command = raw;
      const line = k + 1;
      while (command.endsWith('\\') && k + 1 < lines.length) command = `${command.slice(0, -1)}${lines[++k] ?? ''}`;
      steps.push({ command: command.trim(), expects: [], line });
    }
    if (k >= lines.length) throw new Error(`README.md:${j + 1}: block ${name} is never closed`);
    if (blocks.has(name)) throw new Error(`README.md:${i + 1}: a second block named ${name}`);
    blocks.set(name, { name, steps });
  }
  return blocks;
}

/** Whether output satisfies one expectation: a substring, or /regex/ when written between slashes. */
export function outputMatches(output: string, expectation: string): boolean {
  const regex = /^\/(.+)\/([a-z]*)$/.exec(expectation);
  if (regex !== null) return new RegExp(regex[1] ?? '', regex[2]).test(output);
  const squash = (s: string): string => s.replace(/\s+/g, ' ');
  return squash(output).includes(squash(expectation));
}
