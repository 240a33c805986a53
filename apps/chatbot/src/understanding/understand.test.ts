import { describe, expect, it } from 'vitest';
import { understand } from './understand';

/** The tenant's environments, as the service passes them (ids and display names). */
const ENVS = ['sales-prod', 'Sales Prod', 'dev', 'Dev', 'hr-test', 'HR Test'];
const u = (text: string) => understand(text, '2026-11', ENVS);

describe('understand: the messages of issue 12', () => {
  it('"how much did ada use?" is a user question about ada', () => {
    expect(u('how much did ada use?')).toMatchObject({ intent: 'user_usage', entities: { user: 'ada' } });
  });
  it('"how much has alice used in sales prod" names the user and the environment', () => {
    const r = u('how much has alice used in sales prod');
    expect(r.intent).toBe('user_usage');
    expect(r.entities.user).toBe('alice');
    expect(r.entities.subject).toBe('sales prod');
  });
  it('"which environments are over budget?" is a list of the over ones', () => {
    expect(u('which environments are over budget?')).toMatchObject({ intent: 'list', entities: { condition: 'over' } });
  });
  it('lists near the limit, blocked and unused', () => {
    expect(u('which envs are near the limit').entities.condition).toBe('near');
    expect(u('list blocked environments').entities.condition).toBe('blocked');
    expect(u('which allocations are unused').entities.condition).toBe('unused');
  });
  it('"why is hr test blocked?" asks why about hr test', () => {
    expect(u('why is hr test blocked?')).toMatchObject({ intent: 'why', entities: { subject: 'hr test' } });
  });
  it('"what happens if I add one capacity add-on?" is a what-if with 1', () => {
    expect(u('what happens if I add one capacity add-on?')).toMatchObject({ intent: 'whatif_add', entities: { amounts: [1] } });
  });
  it('"move 50000 credits from dev to sales prod" is a move with both ends', () => {
    expect(u('move 50000 credits from dev to sales prod')).toMatchObject({ intent: 'move_credits', entities: { amounts: [50_000], from: 'dev', to: 'sales prod' } });
  });
  it('a move in "what if" words is a what-if', () => {
    expect(u('what if I move 50k from dev to sales prod?')).toMatchObject({ intent: 'whatif_move', entities: { amounts: [50_000], from: 'dev', to: 'sales prod' } });
  });
  it('"give sales prod 100000 more credits" raises sales prod by 100,000', () => {
    expect(u('give sales prod 100000 more credits')).toMatchObject({ intent: 'raise_allocation', entities: { amounts: [100_000], subject: 'sales prod' } });
  });
  it('set and lower', () => {
    expect(u('set dev to 20,000')).toMatchObject({ intent: 'set_allocation', entities: { amounts: [20_000], subject: 'dev' } });
    expect(u('lower hr test by 1.2 million')).toMatchObject({ intent: 'lower_allocation', entities: { amounts: [1_200_000], subject: 'hr test' } });
  });
  it('periods: last month and a named month', () => {
    expect(u('top users last month').entities.period?.period).toBe('2026-10');
    expect(u('how much did ada use in October').entities).toMatchObject({ user: 'ada', period: { period: '2026-10' } });
  });
  it('top consumers by source', () => {
    expect(u('top consumers by source')).toMatchObject({ intent: 'top', entities: { groups: ['sources'] } });
  });
  it('a capacity request of a maker', () => {
    expect(u('I need 50k more for sales prod this month')).toMatchObject({ intent: 'capacity_request', entities: { amounts: [50_000], subject: 'sales prod' } });
  });
  it('money is kept apart from credits', () => {
    expect(u('give dev $5k more').entities).toMatchObject({ amounts: [], money: { value: 5_000, currency: 'USD' } });
  });
  it('an e-mail address is a user', () => {
    expect(u('how much did ada@acme.test use in dev').entities).toMatchObject({ user: 'ada@acme.test', subject: 'dev' });
  });
  it('an amount and a name alone are not a confident intent (the bot asks instead of guessing)', () => {
    expect(u('sales prod 50k').confidence).toBeLessThan(0.6);
  });
  it('gibberish is not known', () => {
    expect(u('qwxz plorp').known).toBe(false);
  });
});
