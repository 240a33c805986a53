import { describe, expect, it } from 'vitest';
import type { Reply } from '../conversation/conversation.types';
import { progressBar, usagePercent } from '../conversation/reply-format';
import { toAdaptiveCard, type CardElement } from './adaptive-card.renderer';
import { toPlainText } from './plain-text.renderer';
import { toSlackHome, toSlackMessage, type SlackBlock } from './slack.renderer';

const balance: Reply = {
  title: 'Credits for Acme <Corp>',
  text: 'Acme has 395,000 of 1,000,000 credits left in November 2026 (605,000 used, 60%). Resets 1 Dec 2026.\n▓▓▓▓▓▓░░░░ 60%',
  tone: 'warning',
  sections: [
    {
      progress: { used: 605_000, available: 1_000_000 },
      facts: [
        { label: 'Remaining', value: '395,000 credits' },
        { label: 'Stage', value: 'Warning' },
      ],
    },
    { heading: 'Top users', facts: Array.from({ length: 12 }, (_, i) => ({ label: `${i + 1}. user${i}`, value: `${i} credits` })) },
  ],
};
const bare: Reply = { title: 'Alerts stopped', text: 'This channel will no longer get alerts.', tone: 'info', sections: [], suggestions: ['dev', 'sales-prod'] };

describe('progress bar', () => {
  it.each([
    [0, 100, '░░░░░░░░░░ 0%'],
    [60, 100, '▓▓▓▓▓▓░░░░ 60%'],
    [605_000, 1_000_000, '▓▓▓▓▓▓░░░░ 60%'],
    [999, 1000, '▓▓▓▓▓▓▓▓▓░ 99%'],
    [1000, 1000, '▓▓▓▓▓▓▓▓▓▓ 100%'],
    [1250, 1000, '▓▓▓▓▓▓▓▓▓▓ 125%'],
    [0, 0, '░░░░░░░░░░ 0%'],
    [5, 0, '▓▓▓▓▓▓▓▓▓▓ no credits available'],
  ])('%d of %d → %s', (used, available, bar) => {
    expect(progressBar(used, available)).toBe(bar);
  });

  it('never rounds up to the limit before it is reached', () => {
    expect(usagePercent(99_999, 100_000)).toBe(99);
    expect(usagePercent(5, 0)).toBeNull();
  });
});

describe('toSlackMessage', () => {
  it('always sets the text fallback with the title and the numbers', () => {
    for (const r of [balance, bare]) {
      const m = toSlackMessage(r);
      expect(m.text).toContain(r.title);
      expect(m.text).toContain(r.text);
    }
    expect(toSlackMessage({ ...bare, title: '', text: '' }).text).not.toBe('');
  });

  it('draws a header, the lead, the progress bar and facts as fields (at most 10 per section)', () => {
    const m = toSlackMessage(balance);
    const [header, lead] = m.blocks;
    expect(header).toMatchObject({ type: 'header', text: { type: 'plain_text' } });
    expect(header?.type === 'header' && header.text.text.length).toBeLessThanOrEqual(150);
    expect(lead).toMatchObject({ type: 'section', text: { type: 'mrkdwn' } });
    // Only the headline: the bar line of the text is drawn by the progress context block instead.
    expect(JSON.stringify(lead)).not.toContain('░');
    expect(m.blocks).toContainEqual({ type: 'context', elements: [{ type: 'mrkdwn', text: '`▓▓▓▓▓▓░░░░ 60%`' }] });
    const fieldSections = m.blocks.filter((b): b is Extract<SlackBlock, { type: 'section' }> => b.type === 'section' && b.fields !== undefined);
    expect(fieldSections.map((b) => b.fields?.length)).toEqual([2, 10, 2]);
    expect(JSON.stringify(m.blocks)).toContain('*Remaining*\\n395,000 credits');
  });

  it('escapes Slack control characters', () => {
    expect(JSON.stringify(toSlackMessage({ ...bare, text: 'a <b> & c' }).blocks)).toContain('a &lt;b&gt; &amp; c');
  });

  it('stays under 50 blocks for a long reply', () => {
    const many: Reply = { ...balance, sections: Array.from({ length: 40 }, (_, i) => ({ heading: `env ${i}`, facts: [{ label: 'x', value: 'y' }], progress: { used: 1, available: 2 } })) };
    expect(toSlackMessage(many).blocks.length).toBeLessThanOrEqual(50);
  });

  it('shows suggestions of a reply without sections', () => {
    expect(JSON.stringify(toSlackMessage(bare).blocks)).toContain('Did you mean `dev` or `sales-prod`?');
  });
});

describe('toSlackHome', () => {
  it('is a home view with the same blocks and a hint', () => {
    const v = toSlackHome(balance);
    expect(v.type).toBe('home');
    expect(v.blocks[0]).toMatchObject({ type: 'header' });
    expect(JSON.stringify(v.blocks)).toContain('/credits');
  });
});

/** Structural check of the Adaptive Card 1.5 schema for the elements we use. */
function cardProblems(el: CardElement | Record<string, unknown>, path = 'body'): string[] {
  const e = el as Record<string, unknown>;
  const p: string[] = [];
  const oneOf = (key: string, allowed: readonly unknown[]): void => {
    if (e[key] !== undefined && !allowed.includes(e[key])) p.push(`${path}.${key}=${String(e[key])}`);
  };
  oneOf('spacing', ['None', 'Small', 'Default', 'Medium', 'Large', 'ExtraLarge', 'Padding']);
  switch (e.type) {
    case 'TextBlock':
      if (typeof e.text !== 'string') p.push(`${path}.text missing`);
      oneOf('size', ['Small', 'Default', 'Medium', 'Large', 'ExtraLarge']);
      oneOf('weight', ['Lighter', 'Default', 'Bolder']);
      oneOf('color', ['Default', 'Dark', 'Light', 'Accent', 'Good', 'Warning', 'Attention']);
      break;
    case 'FactSet':
      if (!Array.isArray(e.facts) || e.facts.length === 0) p.push(`${path}.facts empty`);
      for (const f of (e.facts as Array<Record<string, unknown>>) ?? []) {
        if (typeof f.title !== 'string' || typeof f.value !== 'string') p.push(`${path}.facts bad fact`);
      }
      break;
    case 'ColumnSet':
      (e.columns as Array<Record<string, unknown>>).forEach((c, i) => p.push(...cardProblems(c, `${path}.columns[${i}]`)));
      break;
    case 'Column':
    case 'Container': {
      oneOf('style', ['default', 'emphasis', 'good', 'attention', 'warning', 'accent']);
      if (e.type === 'Column' && !(e.width === 'auto' || e.width === 'stretch' || (typeof e.width === 'number' && e.width > 0))) {
        p.push(`${path}.width=${String(e.width)}`);
      }
      const items = e.items as CardElement[];
      if (!Array.isArray(items) || (e.type === 'Container' && items.length === 0)) p.push(`${path}.items missing`);
      items.forEach((c, i) => p.push(...cardProblems(c, `${path}.items[${i}]`)));
      break;
    }
    default:
      p.push(`${path}: element type ${String(e.type)} not allowed`);
  }
  return p;
}

describe('toAdaptiveCard', () => {
  it.each([balance, bare])('is a structurally valid Adaptive Card 1.5 (%#)', (reply) => {
    const card = toAdaptiveCard(reply);
    expect(card).toMatchObject({ $schema: 'http://adaptivecards.io/schemas/adaptive-card.json', type: 'AdaptiveCard', version: '1.5' });
    expect(card.body.length).toBeGreaterThan(0);
    expect(card.body.flatMap((el, i) => cardProblems(el, `body[${i}]`))).toEqual([]);
    expect(card.fallbackText).toContain(reply.text);
  });

  it('carries title in the tone colour, facts in a FactSet and a weighted progress bar', () => {
    const card = toAdaptiveCard(balance);
    expect(card.body[0]).toMatchObject({ type: 'TextBlock', size: 'Large', color: 'Warning' });
    const json = JSON.stringify(card);
    expect(json).toContain('{"title":"Remaining","value":"395,000 credits"}');
    expect(json).toContain('"width":60');
    expect(json).toContain('"width":40');
    expect(json).toContain('60%');
  });

  it('leaves out the empty part of a full bar', () => {
    const card = toAdaptiveCard({ ...bare, sections: [{ progress: { used: 130, available: 100 } }] });
    const json = JSON.stringify(card);
    expect(json).toContain('"width":100,"style":"attention"');
    expect(json).not.toContain('"width":0');
    expect(json).toContain('130%');
  });
});

describe('toPlainText', () => {
  it('prints title, lead, bar and aligned facts', () => {
    const t = toPlainText(balance);
    expect(t.split('\n')[0]).toBe('⚠️ Credits for Acme <Corp>');
    expect(t).toContain('▓▓▓▓▓▓░░░░ 60%');
    expect(t).toContain('  Remaining: 395,000 credits');
    expect(t).toContain('  Stage:     Warning');
    expect(t).toContain('Top users');
  });

  it('prints the whole text and suggestions of a reply without sections', () => {
    expect(toPlainText(bare)).toBe('ℹ️ Alerts stopped\nThis channel will no longer get alerts.\n\nDid you mean dev or sales-prod?');
  });
});

describe('both currencies side by side (DUAL)', () => {
  const dual: Reply = {
    title: 'Credits for Production (prod)',
    text: 'Production (prod) has 1,200 of 10,000 AI Builder credits left and 8,450.5 of 25,000 Copilot Credits left.\nAI Builder credits ▓▓▓▓▓▓▓▓░░ 88%\nCopilot Credits ▓▓▓▓▓▓░░░░ 66%',
    tone: 'warning',
    sections: [{ progress: { used: 8_800, available: 10_000 }, copilotProgress: { used: 16_549_500, available: 25_000_000 }, facts: [{ label: 'Stage', value: 'Warning' }] }],
  };

  it('draws the two bars in one Slack context block, each named by its currency', () => {
    expect(toSlackMessage(dual).blocks).toContainEqual({
      type: 'context',
      elements: [
        { type: 'mrkdwn', text: 'AI Builder credits `▓▓▓▓▓▓▓▓░░ 88%`' },
        { type: 'mrkdwn', text: 'Copilot Credits `▓▓▓▓▓▓░░░░ 66%`' },
      ],
    });
  });

  it('draws two weighted bars in the Adaptive Card, labelled with their currency', () => {
    const card = toAdaptiveCard(dual);
    expect(card.body.flatMap((el, i) => cardProblems(el, `body[${i}]`))).toEqual([]);
    const json = JSON.stringify(card);
    expect(json).toContain('"text":"AI Builder credits 88%"');
    expect(json).toContain('"text":"Copilot Credits 66%"');
    expect(json).toContain('"width":66');
    expect(json).toContain('"width":34');
  });

  it('prints both bars in plain text', () => {
    const t = toPlainText(dual);
    expect(t).toContain('  AI Builder credits ▓▓▓▓▓▓▓▓░░ 88%\n  Copilot Credits ▓▓▓▓▓▓░░░░ 66%');
  });
});
