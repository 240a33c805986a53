/** The conversation core of the chat bot: intents, answers and alert rendering, shared by every channel. */
export * from './conversation.types';
export { createConversation, type ConversationOptions } from './conversation.service';
export { renderAlert } from './alert.renderer';
export { understand, type Understanding, type Entities } from '../understanding/understand';
export { matchEnvironment, type EnvironmentMatch, type EnvironmentRef } from './environment.matcher';
export { progressBar, usagePercent, formatCredits } from './reply-format';
