import { describe, expect, it } from 'vitest';
import { normalizeText, parseIntent } from './intent.parser';

describe('parseIntent', () => {
  const table: Array<[string, string, string?]> = [
    // [text, intent kind, environment words]
    ['how many credits left in sales prod?', 'balance', 'sales prod'],
    ['How many credits are left in Sales-Prod??', 'balance', 'sales-prod'],
    ['balance dev', 'balance', 'dev'],
    ['BALANCE', 'balance', ''],
    ['credits prod', 'balance', 'prod'],
    ["what's left", 'balance', ''],
    ['What’s left?', 'balance', ''],
    ['how much do we have left for the whole tenant', 'balance', ''],
    ['remaining credits in hr_test', 'balance', 'hr_test'],
    ['top users', 'top', ''],
    ['who used the most credits?', 'top', ''],
    ['top environments', 'top', ''],
    ['what consumed most', 'top', ''],
    ['top users in sales prod', 'top', 'sales prod'],
    ['when will prod run out?', 'forecast', 'prod'],
    ['forecast sales prod', 'forecast', 'sales prod'],
    ['Forecast', 'forecast', ''],
    ['how long will dev last', 'forecast', 'dev'],
    ['my trial', 'trial'],
    ['how much trial do I have', 'trial'],
    ['status', 'status', ''],
    ['stages', 'status', ''],
    ['which environments are blocked?', 'status', ''],
    ['status of sales prod', 'status', 'sales prod'],
    ['help', 'help'],
    ['Help!', 'help'],
    ['what can you do?', 'help'],
    ['', 'help'],
    ['alerts here', 'bind-alerts'],
    ['send alerts here', 'bind-alerts'],
    ['Send alerts to this channel please', 'bind-alerts'],
    ['stop alerts', 'unbind-alerts'],
    ['stop alerts here', 'unbind-alerts'],
    ['no more alerts', 'unbind-alerts'],
    ['sales prod', 'unknown', 'sales prod'],
    ['<@U0BOT> balance dev', 'balance', 'dev'],
  ];
  it.each(table)('%j → %s (%s)', (text, kind, environment) => {
    const intent = parseIntent(text);
    expect(intent.kind).toBe(kind);
    if (environment !== undefined) expect('environment' in intent ? intent.environment : undefined).toBe(environment);
  });

  it('asks for users for "who", environments for "what", both when unsaid', () => {
    expect(parseIntent('who used the most credits').kind === 'top' && parseIntent('who used the most credits')).toMatchObject({ groups: ['users'] });
    expect(parseIntent('what consumed most')).toMatchObject({ groups: ['environments'] });
    expect(parseIntent('top environments')).toMatchObject({ groups: ['environments'] });
    expect(parseIntent('top consumers')).toMatchObject({ groups: ['users', 'environments'] });
  });

  it('reads "last month", "top N" and thanks', () => {
    expect(parseIntent('top 3 users last month')).toEqual({ kind: 'top', groups: ['users'], environment: '', month: 'previous', limit: 3 });
    expect(parseIntent('balance sales prod last month')).toEqual({ kind: 'balance', environment: 'sales prod', month: 'previous' });
    expect(parseIntent('status')).toMatchObject({ month: 'current' });
    expect(parseIntent('top users')).toMatchObject({ limit: 5, month: 'current' });
    expect(parseIntent('thanks!')).toEqual({ kind: 'thanks' });
    expect(parseIntent('will credits last the month?')).toMatchObject({ kind: 'forecast' });
  });

  it('narrows "which environments are blocked" to blocked ones', () => {
    expect(parseIntent('which environments are blocked')).toMatchObject({ kind: 'status', only: 'blocked' });
    expect(parseIntent('status')).not.toHaveProperty('only');
  });
});

describe('normalizeText', () => {
  it('drops punctuation and case but keeps dashes and underscores inside names', () => {
    expect(normalizeText('  How many credits left in SALES-Prod?! ')).toBe('how many credits left in sales-prod');
    expect(normalizeText('hr_test, please.')).toBe('hr_test please');
    expect(normalizeText('-- dev --')).toBe('dev');
  });
});
