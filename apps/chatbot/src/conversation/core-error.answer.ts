/**
 * Failures of core calls as friendly replies: people see what to do, never a stack trace or a gRPC code name.
 */
import { status } from '@grpc/grpc-js';
import { CoreCallError } from '@allot/grpc-client';
import type { Reply } from './conversation.types';

const reply = (title: string, text: string): Reply => ({ title, text, tone: 'warning', sections: [] });

export const tenantNotLinked = (): Reply =>
  reply(
    'Workspace not linked',
    'This workspace is not linked to a credit tenant. An admin needs to map it in the bot configuration (CHATBOT_TENANTS).',
  );

/** A core failure for people. `during` says what was being fetched ("the balance"). */
export function friendlyCoreError(error: unknown, during: string): Reply {
  if (!(error instanceof CoreCallError)) {
    return reply('Something went wrong', `Sorry, something went wrong while getting ${during}. Please try again.`);
  }
  switch (error.code) {
    case status.NOT_FOUND:
      return reply('Not found', `I couldn't find ${during} in the credit service (${error.details}).`);
    case status.UNAVAILABLE:
    case status.DEADLINE_EXCEEDED:
      return reply('Credit service unreachable', `The credit service is not reachable right now, so I can't get ${during}. Please try again in a minute.`);
    case status.UNAUTHENTICATED:
    case status.PERMISSION_DENIED:
      return reply(
        'Not allowed',
        `The bot is not allowed to read ${during} for this workspace. An admin should check the bot's API key (CHATBOT_CORE_KEY).`,
      );
    case status.UNIMPLEMENTED:
      return reply('Not available yet', `The credit service can't answer that yet (${during} is not available).`);
    case status.INVALID_ARGUMENT:
    case status.FAILED_PRECONDITION:
      return reply("Can't do that", `The credit service refused: ${error.details}`);
    default:
      return reply('Something went wrong', `Sorry, the credit service failed while getting ${during}. Please try again.`);
  }
}
