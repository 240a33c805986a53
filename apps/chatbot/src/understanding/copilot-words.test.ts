import { describe, expect, it } from 'vitest';
import { foldCurrencyWords, saysNoBudget, toggleOf } from './copilot-words';
import { normalizeText } from './text';
import { understand } from './understand';

const ENVS = ['prod', 'Production', 'dev', 'Dev', 'sales-prod', 'Sales Prod'];
const u = (text: string) => understand(text, '2026-11', ENVS);

describe('the words of Copilot Credit actions', () => {
  it('takes the currency out of the text and keeps the first one named', () => {
    expect(foldCurrencyWords('allocate 20,000 copilot credits to prod')).toEqual({ text: 'allocate 20,000   credits to prod', currency: 'COPILOT' });
    expect(foldCurrencyWords('move 5k ai builder credits to dev').currency).toBe('AI_BUILDER');
    expect(foldCurrencyWords('allocate 50,000 credits to prod')).toEqual({ text: 'allocate 50,000 credits to prod' });
  });
  it('an environment called "Copilot Studio" keeps its name and names no currency', () => {
    expect(foldCurrencyWords('allocate 5000 credits to copilot studio')).toEqual({ text: 'allocate 5000 credits to copilot studio' });
    const r = understand('allocate 5,000 Copilot Credits to copilot studio', '2026-11', ['copilot-studio', 'Copilot Studio']);
    expect(r).toMatchObject({ intent: 'set_allocation', entities: { amounts: [5_000], subject: 'copilot studio', currency: 'COPILOT' } });
  });
  it('reads pay-as-you-go in any spelling as one word', () => {
    for (const t of ['pay-as-you-go', 'pay as you go', 'payg', 'pay-per-use']) expect(foldCurrencyWords(`turn on ${t} for prod`).text.trim()).toBe('turn on  payg  for prod');
  });
  it('on, off, and no budget', () => {
    const toggle = (t: string) => toggleOf(normalizeText(t));
    expect(toggle('turn on payg for prod')).toBe('on');
    expect(toggle('turn off payg for prod')).toBe('off');
    expect(toggle('stop prod drawing credits from the tenant')).toBe('off');
    expect(toggle("don't let prod draw from the tenant")).toBe('off');
    expect(toggle('let prod draw from the tenant again')).toBe('on');
    expect(toggle('turn on payg for prod, not capped')).toBe('on');
    expect(toggle('set the payg budget of prod to 5000')).toBeUndefined();
    expect(saysNoBudget(normalizeText('turn on payg for prod with no budget'))).toBe(true);
    expect(saysNoBudget(normalizeText('unlimited payg for prod'))).toBe(true);
    expect(saysNoBudget(normalizeText('turn on payg for prod with a budget of 5000'))).toBe(false);
  });
});

describe('understand: Copilot Credit actions', () => {
  it('"allocate 20,000 Copilot Credits to prod" sets prod to 20,000 in Copilot Credits', () => {
    expect(u('allocate 20,000 Copilot Credits to prod')).toMatchObject({ intent: 'set_allocation', entities: { amounts: [20_000], subject: 'prod', currency: 'COPILOT' } });
  });
  it('"set prod\'s Copilot allocation to 20000" too', () => {
    expect(u("set prod's Copilot allocation to 20000")).toMatchObject({ intent: 'set_allocation', entities: { amounts: [20_000], subject: 'prod', currency: 'COPILOT' } });
  });
  it('"move 5,000 Copilot Credits from dev to prod" is a move in Copilot Credits', () => {
    expect(u('move 5,000 Copilot Credits from dev to prod')).toMatchObject({ intent: 'move_credits', entities: { amounts: [5_000], from: 'dev', to: 'prod', currency: 'COPILOT' } });
  });
  it('plain AI Builder phrasing names no currency, as before', () => {
    const r = u('allocate 50,000 credits to prod');
    expect(r).toMatchObject({ intent: 'set_allocation', entities: { amounts: [50_000], subject: 'prod' } });
    expect(r.entities.currency).toBeUndefined();
    expect(u('move 50000 credits from dev to sales prod').entities.currency).toBeUndefined();
  });
  it('pay-as-you-go on with a budget, and off', () => {
    expect(u('turn on pay-as-you-go for prod with a budget of 5,000')).toMatchObject({ intent: 'copilot_payg', entities: { amounts: [5_000], subject: 'prod', toggle: 'on' } });
    expect(u('turn off pay-as-you-go for prod')).toMatchObject({ intent: 'copilot_payg', entities: { subject: 'prod', toggle: 'off' } });
    expect(u('enable payg for sales prod with no budget')).toMatchObject({ intent: 'copilot_payg', entities: { subject: 'sales prod', toggle: 'on', noBudget: true } });
  });
  it('"stop prod drawing Copilot Credits from the tenant" turns the tenant draw off; "let … again" on', () => {
    expect(u('stop prod drawing Copilot Credits from the tenant')).toMatchObject({ intent: 'copilot_tenant_draw', entities: { subject: 'prod', toggle: 'off' } });
    expect(u('let dev draw Copilot Credits from the tenant again')).toMatchObject({ intent: 'copilot_tenant_draw', entities: { subject: 'dev', toggle: 'on' } });
  });
  it('alerts keep their own on and off', () => {
    expect(u('turn off notifications').intent).toBe('unbind_alerts');
    expect(u('turn on alerts here').intent).toBe('bind_alerts');
  });
  it('a question naming Copilot Credits keeps its intent and its environment', () => {
    expect(u('how many Copilot Credits are left in prod?')).toMatchObject({ intent: 'balance', entities: { subject: 'prod', currency: 'COPILOT' } });
  });
});
