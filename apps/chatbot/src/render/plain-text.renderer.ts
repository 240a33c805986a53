/** A Reply as plain text, for the console and logs. */
import type { Reply } from '../conversation/conversation.types';
import { barLine, sectionBars } from '../conversation/copilot-format';
import { leadText, suggestionLine, titleWithEmoji } from './reply-parts';

export function toPlainText(reply: Reply): string {
  const out: string[] = [titleWithEmoji(reply), leadText(reply)];
  for (const s of reply.sections) {
    const block: string[] = [];
    if (s.heading) block.push(`${s.heading}`);
    if (s.text) block.push(...s.text.split('\n').map((l) => `  ${l}`));
    block.push(...sectionBars(s).map((b) => `  ${barLine(b)}`));
    if (s.facts && s.facts.length > 0) {
      const width = Math.max(...s.facts.map((f) => f.label.length));
      block.push(...s.facts.map((f) => `  ${`${f.label}:`.padEnd(width + 1)} ${f.value}`));
    }
    if (block.length > 0) out.push('', ...block);
  }
  if (reply.suggestions && reply.suggestions.length > 0 && !reply.text.includes('Did you mean')) {
    out.push('', suggestionLine(reply.suggestions));
  }
  return out.join('\n');
}
