/** What every renderer shows the same way: the lead line, the tone's emoji, the progress bar text. */
import type { Reply, Tone } from '../conversation/conversation.types';

/** Emoji per tone, used in titles on every platform. */
export const TONE_EMOJI: Record<Tone, string> = {
  info: 'ℹ️',
  good: '✅',
  warning: '⚠️',
  overage: '🟠',
  blocked: '⛔',
};

/**
 * The summary shown above the sections. A reply's `text` is its complete fallback: its first line is the
 * headline and the rest repeats what the sections show, so rich renderers use only the first line when there
 * are sections, and the whole text when there are none.
 */
export function leadText(reply: Reply): string {
  if (reply.sections.length === 0) return reply.text;
  const [first] = reply.text.split('\n');
  return first ?? reply.text;
}

/** Title with the tone's emoji. */
export const titleWithEmoji = (reply: Reply): string => `${TONE_EMOJI[reply.tone]} ${reply.title}`;

/** "Did you mean sales-prod, dev or hr?" */
export function suggestionLine(suggestions: readonly string[]): string {
  if (suggestions.length === 1) return `Did you mean ${suggestions[0]}?`;
  return `Did you mean ${suggestions.slice(0, -1).join(', ')} or ${suggestions[suggestions.length - 1]}?`;
}
