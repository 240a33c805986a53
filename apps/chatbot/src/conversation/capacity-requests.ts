/**
 * Capacity requests: a maker asks for more credits ("I need 50k more for sales prod this month"); the admins get a
 * card in their alert channels with Approve / Deny; approving raises the allocation (as the approving admin, so
 * the core's audit names them) and answers the maker in their conversation; denying answers them with the reason
 * ("deny: <reason>" typed in the admins' channel, or the Deny button). Requests live in the bot's memory for a
 * day: the bot that took a request decides it.
 */
import { randomBytes } from 'node:crypto';
import { formatCredits } from '@allot/domain';
import type { AnswerContext, CapacityRequestDesk } from './answer.context';
import type { ConversationContext, Reply } from './conversation.types';
import type { EnvironmentRef } from './environment.matcher';
import { environmentName } from './reply-format';
import { applyAllocationAction, describeAllocationAction } from './allocation.actions';
import type { ChatNotifier } from '../notify/chat-notifier';

export interface CapacityRequest {
  readonly id: string;
  readonly tenantId: string;
  readonly maker: ConversationContext;
  readonly env: EnvironmentRef;
  readonly credits: number;
  readonly at: number;
}

const TTL_MS = 24 * 60 * 60_000;
const info = (title: string, text: string): Reply => ({ title, text, tone: 'info', sections: [] });
const who = (c: ConversationContext): string => `${c.channel.platform}:${c.userId}`;

export class CapacityRequests implements CapacityRequestDesk {
  private readonly open = new Map<string, CapacityRequest>();

  constructor(
    private readonly notifier: ChatNotifier | undefined,
    private readonly now: () => number,
  ) {}

  isRequest(id: string): boolean {
    return id.startsWith('req-');
  }

  /** The newest open request of a tenant (what a typed "deny: <reason>" answers). */
  latest(tenantId: string): CapacityRequest | undefined {
    this.sweep();
    return [...this.open.values()].filter((r) => r.tenantId === tenantId).sort((x, y) => y.at - x.at)[0];
  }

  /** The maker's side: the card goes to the admins, the maker is told where it went. */
  async submit(a: AnswerContext, env: EnvironmentRef, credits: number): Promise<Reply> {
    const where = environmentName(env.environmentId, env.displayName);
    if (this.notifier === undefined || a.context.channel.platform === 'console') {
      return info('Ask in Slack or Teams', `I understood that you need ${formatCredits(credits)} more credits for ${where}. Requests reach the admins through Slack or Teams; the console cannot wait for their answer. An admin can say "give ${env.environmentId} ${formatCredits(credits)} more credits". Nothing was changed.`);
    }
    this.sweep();
    const request: CapacityRequest = { id: `req-${randomBytes(6).toString('hex')}`, tenantId: a.tenant.tenantId, maker: a.context, env, credits, at: this.now() };
    const plan = await describeAllocationAction({ ...a, context: { ...a.context, isAdmin: true } }, { kind: 'raise', env, by: credits });
    const card: Reply = {
      title: `Capacity request from ${who(a.context)}`,
      text:
        `${who(a.context)} asks for ${formatCredits(credits)} more credits for ${where} this month.\n` +
        (plan.refusal ? `As things stand it cannot be granted: ${plan.refusal}.\n` : `Approving will change: ${plan.lines.join('; ')}.\n`) +
        'Approve or Deny (or reply "deny: <reason>").',
      tone: 'warning',
      sections: plan.sections,
      confirm: { actionId: request.id, yes: 'Approve', no: 'Deny' },
    };
    const sent = await this.notifier.toAdmins(a.tenant.tenantId, card);
    if (sent === 0) {
      return info('No admin channel yet', `I understood that you need ${formatCredits(credits)} more credits for ${where}, but no channel gets ${a.tenant.name}'s alerts, so no admin would see the request. Ask an admin to say "alerts here" in their channel. Nothing was changed.`);
    }
    this.open.set(request.id, request);
    return {
      title: 'Request sent',
      text: `I sent your request for ${formatCredits(credits)} more credits for ${where} to the admins (${sent} channel${sent === 1 ? '' : 's'}). I will answer here when one of them decides.`,
      tone: 'good',
      sections: [],
    };
  }

  /** An admin's Approve / Deny. The maker is answered in their conversation either way. */
  async decide(a: AnswerContext, id: string, approve: boolean, reason = ''): Promise<Reply> {
    if (!a.context.isAdmin) return info('Only admins can decide requests', 'Sorry, only admins can approve or deny capacity requests. Nothing was changed.');
    const request = this.open.get(id);
    if (request === undefined || request.tenantId !== a.tenant.tenantId) return info('Nothing to decide', 'That request was already decided or has expired. Nothing was changed.');
    this.open.delete(id);
    const where = environmentName(request.env.environmentId, request.env.displayName);
    const asked = `your request for ${formatCredits(request.credits)} more credits for ${where}`;
    if (!approve) {
      const why = reason.trim() || 'no reason given';
      await this.tell(request, info('Request denied', `${who(a.context)} denied ${asked}: ${why}.`));
      return info('Request denied', `Denied ${who(request.maker)}'s request for ${formatCredits(request.credits)} credits for ${where} (${why}); I told them.`);
    }
    const result = await applyAllocationAction(a, { kind: 'raise', env: request.env, by: request.credits });
    if (!result.done) {
      await this.tell(request, info('Request not applied', `${who(a.context)} approved ${asked}, but it could not be applied: ${result.why ?? result.reply.text}.`));
      return result.reply;
    }
    await this.tell(request, { title: 'Request approved', text: `${who(a.context)} approved ${asked}. ${result.reply.text.replace(/^Done: /, 'Done: ')}`, tone: 'good', sections: [] });
    return { ...result.reply, text: `${result.reply.text} ${who(request.maker)} was told.` };
  }

  private async tell(request: CapacityRequest, reply: Reply): Promise<void> {
    await this.notifier?.toConversation(request.maker.channel, reply).catch(() => false);
  }

  private sweep(): void {
    const t = this.now();
    for (const [id, r] of this.open) if (r.at + TTL_MS <= t) this.open.delete(id);
  }
}
