/**
 * A Reply as an Adaptive Card 1.5 for Teams: TextBlocks for title and lead, a FactSet per section and a
 * ColumnSet drawn as a progress bar (filled and empty columns weighted by the percentage).
 */
import type { Reply, ReplySection, Tone } from '../conversation/conversation.types';
import { progressBar, usagePercent } from '../conversation/reply-format';
import { sectionBars } from '../conversation/copilot-format';
import { leadText, suggestionLine, titleWithEmoji } from './reply-parts';

export type CardColor = 'Default' | 'Dark' | 'Light' | 'Accent' | 'Good' | 'Warning' | 'Attention';
export type ContainerStyle = 'default' | 'emphasis' | 'good' | 'attention' | 'warning' | 'accent';

export interface TextBlock {
  readonly type: 'TextBlock';
  readonly text: string;
  readonly wrap?: boolean;
  readonly size?: 'Small' | 'Default' | 'Medium' | 'Large' | 'ExtraLarge';
  readonly weight?: 'Lighter' | 'Default' | 'Bolder';
  readonly color?: CardColor;
  readonly isSubtle?: boolean;
  readonly spacing?: 'None' | 'Small' | 'Default' | 'Medium' | 'Large';
}
export interface FactSet {
  readonly type: 'FactSet';
  readonly facts: readonly { readonly title: string; readonly value: string }[];
}
export interface Column {
  readonly type: 'Column';
  /** "auto", "stretch", or a relative weight. */
  readonly width: 'auto' | 'stretch' | number;
  readonly style?: ContainerStyle;
  readonly items: readonly CardElement[];
  readonly minHeight?: string;
}
export interface ColumnSet {
  readonly type: 'ColumnSet';
  readonly columns: readonly Column[];
  readonly spacing?: TextBlock['spacing'];
}
export interface Container {
  readonly type: 'Container';
  readonly items: readonly CardElement[];
  readonly separator?: boolean;
  readonly spacing?: TextBlock['spacing'];
  readonly style?: ContainerStyle;
}
export type CardElement = TextBlock | FactSet | ColumnSet | Container;

/** What an Action.Submit of a preview sends back in the activity's `value`. */
export interface ConfirmSubmit {
  readonly allotAction: 'confirm' | 'decline';
  readonly actionId: string;
}

export interface SubmitAction {
  readonly type: 'Action.Submit';
  readonly title: string;
  readonly style?: 'positive' | 'destructive' | 'default';
  readonly data: ConfirmSubmit;
}

export interface AdaptiveCard {
  readonly $schema: 'http://adaptivecards.io/schemas/adaptive-card.json';
  readonly type: 'AdaptiveCard';
  readonly version: '1.5';
  readonly fallbackText: string;
  readonly body: readonly CardElement[];
  readonly actions?: readonly SubmitAction[];
}

const TONE_COLOR: Record<Tone, CardColor> = { info: 'Default', good: 'Good', warning: 'Warning', overage: 'Attention', blocked: 'Attention' };

const barStyle = (percent: number | null): ContainerStyle =>
  percent === null || percent > 100 ? 'attention' : percent >= 80 ? 'warning' : 'good';

/**
 * A bar of two weighted columns (used, free) and the percentage, after the currency when one is given ("Copilot
 * Credits 66%"); a column of weight 0 is left out.
 */
export function progressColumns(used: number, available: number, currency?: string): ColumnSet {
  const percent = usagePercent(used, available);
  const filled = percent === null ? 100 : Math.min(100, percent);
  const cell = (weight: number, style: ContainerStyle): Column => ({
    type: 'Column',
    width: weight,
    style,
    minHeight: '12px',
    items: [{ type: 'TextBlock', text: ' ', size: 'Small' }],
  });
  const columns: Column[] = [];
  if (filled > 0) columns.push(cell(filled, barStyle(percent)));
  if (filled < 100) columns.push(cell(100 - filled, 'emphasis'));
  const percentText = progressBar(used, available).replace(/^\S+ /, '');
  const label = currency ? `${currency} ${percentText}` : percentText;
  return {
    type: 'ColumnSet',
    spacing: 'Small',
    columns: [
      { type: 'Column', width: 'stretch', items: [{ type: 'ColumnSet', columns }] },
      { type: 'Column', width: 'auto', items: [{ type: 'TextBlock', text: label, size: 'Small', weight: 'Bolder' }] },
    ],
  };
}

function sectionContainer(s: ReplySection, first: boolean): Container {
  const items: CardElement[] = [];
  if (s.heading) items.push({ type: 'TextBlock', text: s.heading, weight: 'Bolder', wrap: true });
  if (s.text) items.push({ type: 'TextBlock', text: s.text, wrap: true, spacing: 'Small' });
  for (const b of sectionBars(s)) items.push(progressColumns(b.used, b.available, b.label));
  if (s.facts && s.facts.length > 0) items.push({ type: 'FactSet', facts: s.facts.map((f) => ({ title: f.label, value: f.value })) });
  return { type: 'Container', items, separator: !first && Boolean(s.heading), spacing: 'Medium' };
}

/** A Reply as an Adaptive Card (version 1.5) for a Teams message attachment. */
export function toAdaptiveCard(reply: Reply): AdaptiveCard {
  const body: CardElement[] = [
    { type: 'TextBlock', text: titleWithEmoji(reply), size: 'Large', weight: 'Bolder', wrap: true, color: TONE_COLOR[reply.tone] },
    { type: 'TextBlock', text: leadText(reply), wrap: true },
  ];
  reply.sections.forEach((s, i) => {
    const c = sectionContainer(s, i === 0);
    if (c.items.length > 0) body.push(c);
  });
  if (reply.suggestions && reply.suggestions.length > 0) {
    body.push({ type: 'TextBlock', text: suggestionLine(reply.suggestions), wrap: true, isSubtle: true });
  }
  return {
    $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
    type: 'AdaptiveCard',
    version: '1.5',
    fallbackText: `${reply.title}\n${reply.text}`,
    body,
    ...(reply.confirm
      ? {
          actions: [
            { type: 'Action.Submit', title: reply.confirm.yes, style: 'positive', data: { allotAction: 'confirm', actionId: reply.confirm.actionId } },
            { type: 'Action.Submit', title: reply.confirm.no, data: { allotAction: 'decline', actionId: reply.confirm.actionId } },
          ],
        }
      : {}),
  };
}
