/**
 * Small, pure helpers that turn numbers, stages and instants into the words every answer and alert uses,
 * so Slack, Teams and the console all say "395,000 credits" and "resets 1 Dec 2026" the same way.
 */
import { Stage } from '@allot/contracts';
import { formatCredits, localDateOf } from '@allot/domain';
import type { Tone } from './conversation.types';

export { formatCredits };

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const BAR_CELLS = 10;

/** "395,000 credits" (singular for 1). */
export const credits = (n: number): string => `${formatCredits(n)} ${Math.abs(n) === 1 ? 'credit' : 'credits'}`;

/**
 * Whole percent of used / available, rounded down so a bar never reads 100% before the limit is reached.
 * null when nothing is available but something was used (the ratio is unbounded).
 */
export function usagePercent(used: number, available: number): number | null {
  if (available <= 0) return used > 0 ? null : 0;
  return Math.floor((Math.max(0, used) * 100) / available);
}

/** "▓▓▓▓▓▓░░░░ 60%": one cell per 10%, full from 100% on; "▓▓▓▓▓▓▓▓▓▓ no credits" when none are available. */
export function progressBar(used: number, available: number): string {
  const percent = usagePercent(used, available);
  if (percent === null) return `${'▓'.repeat(BAR_CELLS)} no credits available`;
  const filled = Math.min(BAR_CELLS, Math.floor(percent / 10));
  return `${'▓'.repeat(filled)}${'░'.repeat(BAR_CELLS - filled)} ${percent}%`;
}

/** "1 Dec 2026" for a 'YYYY-MM-DD' local date. */
export function formatLocalDate(date: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (m === null) return date;
  return `${Number(m[3])} ${MONTHS[Number(m[2]) - 1] ?? m[2]} ${m[1]}`;
}

/** "1 Dec 2026": the local calendar day of an instant in the tenant's zone. */
export function formatDay(instant: Date, timeZone: string): string {
  return formatLocalDate(localDateOf(instant.getTime(), timeZone || 'UTC'));
}

/** "November 2026" for '2026-11'. */
export function formatPeriod(period: string): string {
  const m = /^(\d{4})-(\d{2})$/.exec(period);
  if (m === null) return period;
  const long = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
  return `${long[Number(m[2]) - 1] ?? m[2]} ${m[1]}`;
}

/** Stage in words: "Normal", "Warning", "Overage", "Blocked". */
export function stageLabel(stage: Stage): string {
  switch (stage) {
    case Stage.STAGE_NORMAL:
      return 'Normal';
    case Stage.STAGE_WARNING:
      return 'Warning';
    case Stage.STAGE_OVERAGE:
      return 'Overage';
    case Stage.STAGE_BLOCKED:
      return 'Blocked';
    default:
      return 'Unknown';
  }
}

/**
 * What a stage means for the people running AI features. Under DUAL (Microsoft's rules since Nov 2025) there is no
 * grace: Blocked refuses runs only, building, testing and training models stay free.
 */
export function stageMeaning(stage: Stage, dual = false): string {
  if (dual && stage === Stage.STAGE_BLOCKED) return 'nothing left in either currency: runs are refused, building and training models go on';
  if (dual && stage === Stage.STAGE_WARNING) return 'near the limit in both currencies';
  switch (stage) {
    case Stage.STAGE_NORMAL:
      return 'everything runs';
    case Stage.STAGE_WARNING:
      return 'near the limit';
    case Stage.STAGE_OVERAGE:
      return 'over the limit: runs go on, building and testing models are refused';
    case Stage.STAGE_BLOCKED:
      return 'every AI operation is refused';
    default:
      return 'stage not known';
  }
}

/** The tone a stage is shown in. */
export function stageTone(stage: Stage): Tone {
  switch (stage) {
    case Stage.STAGE_WARNING:
      return 'warning';
    case Stage.STAGE_OVERAGE:
      return 'overage';
    case Stage.STAGE_BLOCKED:
      return 'blocked';
    case Stage.STAGE_NORMAL:
      return 'good';
    default:
      return 'info';
  }
}

/** Worst of several tones (for a reply that covers many environments). */
export function worstTone(tones: readonly Tone[]): Tone {
  const order: Tone[] = ['info', 'good', 'warning', 'overage', 'blocked'];
  return tones.reduce<Tone>((worst, t) => (order.indexOf(t) > order.indexOf(worst) ? t : worst), 'info');
}

/** "Sales Production (sales-prod)", or just the id when there is no distinct display name. */
export function environmentName(id: string, displayName: string | undefined): string {
  if (!displayName || displayName === id) return id;
  return `${displayName} (${id})`;
}
