/**
 * A Reply as a Slack message (Block Kit) and as the App Home view. The `text` fallback is always set: Slack
 * shows it in notifications and to clients that cannot draw blocks.
 * Limits honoured: 50 blocks per message (100 per view), header 150 chars, section text 3000, 10 fields.
 */
import type { Reply, ReplySection } from '../conversation/conversation.types';
import { progressBar } from '../conversation/reply-format';
import { sectionBars } from '../conversation/copilot-format';
import { leadText, suggestionLine, titleWithEmoji } from './reply-parts';

export interface SlackText {
  readonly type: 'plain_text' | 'mrkdwn';
  readonly text: string;
  readonly emoji?: boolean;
}

export type SlackBlock =
  | { readonly type: 'header'; readonly text: SlackText }
  | { readonly type: 'section'; readonly text?: SlackText; readonly fields?: readonly SlackText[] }
  | { readonly type: 'context'; readonly elements: readonly SlackText[] }
  | { readonly type: 'divider' }
  | {
      readonly type: 'actions';
      readonly block_id: string;
      readonly elements: readonly {
        readonly type: 'button';
        readonly action_id: string;
        readonly text: SlackText;
        readonly value: string;
        readonly style?: 'primary' | 'danger';
      }[];
    };

/** action_id of the yes and no buttons of a preview (the adapter registers both with Bolt). */
export const SLACK_CONFIRM_ACTION = 'allot_confirm';
export const SLACK_DECLINE_ACTION = 'allot_decline';

export interface SlackMessage {
  /** Plain-text fallback; never empty. */
  readonly text: string;
  readonly blocks: readonly SlackBlock[];
}

export interface SlackHomeView {
  readonly type: 'home';
  readonly blocks: readonly SlackBlock[];
}

const MAX_MESSAGE_BLOCKS = 50;
const MAX_VIEW_BLOCKS = 100;
const MAX_FIELDS = 10;

const clip = (s: string, max: number): string => (s.length <= max ? s : `${s.slice(0, max - 1)}…`);

/** Slack's three control characters in mrkdwn; everything else is shown as typed. */
export const escapeMrkdwn = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

const mrkdwn = (text: string): SlackText => ({ type: 'mrkdwn', text: clip(escapeMrkdwn(text), 3000) });

function sectionBlocks(s: ReplySection): SlackBlock[] {
  const blocks: SlackBlock[] = [];
  const head = [s.heading ? `*${escapeMrkdwn(s.heading)}*` : '', s.text ? escapeMrkdwn(s.text) : ''].filter((x) => x !== '').join('\n');
  if (head) blocks.push({ type: 'section', text: { type: 'mrkdwn', text: clip(head, 3000) } });
  // Both currencies' bars side by side in one context block (DUAL), each with its currency.
  const bars = sectionBars(s);
  if (bars.length > 0) {
    blocks.push({
      type: 'context',
      elements: bars.map((b) => ({ type: 'mrkdwn', text: `${b.label ? `${b.label} ` : ''}\`${progressBar(b.used, b.available)}\`` })),
    });
  }
  const facts = s.facts ?? [];
  for (let i = 0; i < facts.length; i += MAX_FIELDS) {
    blocks.push({
      type: 'section',
      fields: facts.slice(i, i + MAX_FIELDS).map((f) => ({ type: 'mrkdwn', text: clip(`*${escapeMrkdwn(f.label)}*\n${escapeMrkdwn(f.value)}`, 2000) })),
    });
  }
  return blocks;
}

function replyBlocks(reply: Reply, maxBlocks: number): SlackBlock[] {
  const blocks: SlackBlock[] = [
    { type: 'header', text: { type: 'plain_text', text: clip(titleWithEmoji(reply), 150), emoji: true } },
    { type: 'section', text: mrkdwn(leadText(reply)) },
  ];
  reply.sections.forEach((s, i) => {
    if (i > 0 && s.heading) blocks.push({ type: 'divider' });
    blocks.push(...sectionBlocks(s));
  });
  if (reply.suggestions && reply.suggestions.length > 0) {
    blocks.push({ type: 'context', elements: [mrkdwn(suggestionLine(reply.suggestions.map((x) => `\`${x}\``)))] });
  }
  const confirm = reply.confirm;
  const limit = confirm ? maxBlocks - 1 : maxBlocks;
  const fitted = blocks.length > limit ? [...blocks.slice(0, limit - 1), { type: 'context', elements: [{ type: 'mrkdwn', text: '…more in the text of this message.' }] } as SlackBlock] : blocks;
  if (confirm) {
    fitted.push({
      type: 'actions',
      block_id: `confirm-${confirm.actionId}`,
      elements: [
        { type: 'button', action_id: SLACK_CONFIRM_ACTION, text: { type: 'plain_text', text: clip(confirm.yes, 75) }, value: confirm.actionId, style: 'primary' },
        { type: 'button', action_id: SLACK_DECLINE_ACTION, text: { type: 'plain_text', text: clip(confirm.no, 75) }, value: confirm.actionId },
      ],
    });
  }
  return fitted;
}

/** A Reply as a chat.postMessage payload (text + blocks). */
export function toSlackMessage(reply: Reply): SlackMessage {
  const text = `${reply.title}\n${reply.text}`.trim() || 'Credit update';
  return { text: clip(text, 39_000), blocks: replyBlocks(reply, MAX_MESSAGE_BLOCKS) };
}

/** A Reply (the tenant summary) as the App Home tab view for views.publish. */
export function toSlackHome(reply: Reply): SlackHomeView {
  const blocks = replyBlocks(reply, MAX_VIEW_BLOCKS - 1);
  blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: 'Message me or use `/credits` to ask more: "top users", "forecast prod", "help".' }] });
  return { type: 'home', blocks };
}
