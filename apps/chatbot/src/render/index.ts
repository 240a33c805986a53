/** Renderers of conversation Replies for each channel: Slack Block Kit, Teams Adaptive Cards, plain text. */
export { toSlackMessage, toSlackHome, escapeMrkdwn, type SlackMessage, type SlackHomeView, type SlackBlock } from './slack.renderer';
export { toAdaptiveCard, progressColumns, type AdaptiveCard, type CardElement } from './adaptive-card.renderer';
export { toPlainText } from './plain-text.renderer';
export { leadText, TONE_EMOJI } from './reply-parts';
