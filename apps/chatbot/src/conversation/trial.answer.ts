/** "My trial": the asking user's trial credits, expiry and status. */
import { TrialStatus } from '@allot/contracts';
import type { AnswerContext } from './answer.context';
import type { Reply } from './conversation.types';
import { credits, formatCredits, formatDay } from './reply-format';

const DAY_MS = 86_400_000;

export async function myTrial(a: AnswerContext): Promise<Reply> {
  const b = await a.core.reporting.getBalance({
    tenantId: a.tenant.tenantId,
    environmentId: '',
    userId: a.context.userId,
    period: '',
  });
  const t = b.trial;
  if (!t) {
    const why =
      b.capacity > 0
        ? ` ${a.tenant.name} has paid capacity (${credits(b.capacity)} a month), and trials are only for tenants without it.`
        : ' An admin can start one (200,000 credits for 30 days).';
    return { title: 'Your trial', text: `You have no trial in ${a.tenant.name}.${why}`, tone: 'info', sections: [] };
  }
  const expires = t.expiresAt ? formatDay(t.expiresAt, a.tenant.timeZone) : 'unknown';
  // Whole days, rounded down: a trial that ends in 30 days and 3 seconds has "30 days left".
  const msLeft = t.expiresAt ? t.expiresAt.getTime() - a.now.getTime() : undefined;
  const daysLeft = msLeft === undefined ? undefined : Math.max(0, Math.floor(msLeft / DAY_MS));
  const facts = [
    { label: 'Remaining', value: credits(t.remaining) },
    { label: 'Consumed', value: credits(t.consumed) },
    { label: 'Trial credits', value: credits(t.credits) },
    { label: t.status === TrialStatus.TRIAL_STATUS_EXPIRED ? 'Expired' : 'Expires', value: expires },
  ];
  if (t.extensions > 0) facts.push({ label: 'Extensions', value: `${t.extensions} of 2` });
  const progress = { used: t.consumed, available: t.credits };
  if (t.status === TrialStatus.TRIAL_STATUS_EXPIRED) {
    return {
      title: 'Your trial has expired',
      text: `Your trial expired on ${expires} after using ${credits(t.consumed)} of ${credits(t.credits)}. Runs that drew on it are refused; an admin may extend it (at most twice).`,
      tone: 'blocked',
      sections: [{ facts, progress }],
    };
  }
  if (t.status === TrialStatus.TRIAL_STATUS_EXHAUSTED || t.remaining <= 0) {
    return {
      title: 'Your trial is used up',
      text: `You have used all ${credits(t.credits)} of your trial (expires ${expires}). Runs that draw on it are refused.`,
      tone: 'blocked',
      sections: [{ facts, progress }],
    };
  }
  const soon = daysLeft !== undefined && daysLeft <= 7;
  const days =
    daysLeft === undefined ? '' : daysLeft === 0 ? ' (less than a day left)' : ` (${daysLeft === 1 ? '1 day' : `${daysLeft} days`} left)`;
  return {
    title: 'Your trial',
    text: `You have ${formatCredits(t.remaining)} of ${formatCredits(t.credits)} trial credits left (${formatCredits(t.consumed)} used). It expires ${expires}${days}.`,
    tone: soon ? 'warning' : 'good',
    sections: [{ facts, progress }],
  };
}
