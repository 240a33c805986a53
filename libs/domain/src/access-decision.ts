import type { Stage, DenialReason } from './stage';

export interface AccessDecision {
  readonly allowed: boolean;
  readonly stage: Stage;
  readonly reason: DenialReason | null;
  /** Credits left to draw without overage for this user in this environment. */
  readonly remaining: number;
  /** DUAL only: Copilot Credits left to draw, in thousandths; null when unlimited (pay-as-you-go without a budget). */
  readonly copilotRemaining?: number | null;
  /** For people, with numbers: "prod used 1,300,000 of 1,000,000 credits (130%): blocked until 2026-12-01". */
  readonly message: string;
}
