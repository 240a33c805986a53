/**
 * Stable, namespaced codes of expected domain failures. One mapping (in the core's transport) turns the
 * category into a gRPC status; the code itself travels to clients in the message/details.
 */
export type DomainErrorCategory =
  | 'INVALID_ARGUMENT'
  | 'NOT_FOUND'
  | 'ALREADY_EXISTS'
  | 'FAILED_PRECONDITION'
  | 'PERMISSION_DENIED';

export interface DomainError {
  /** e.g. 'ALLOCATION.EXCEEDS_CAPACITY' */
  readonly code: string;
  readonly category: DomainErrorCategory;
  /** For people, with the numbers: "only 105000 credits unassigned". */
  readonly message: string;
  /** The request field the error is about, when there is one (snake_case, as on the wire). */
  readonly field?: string;
}

export const domainError = (
  category: DomainErrorCategory,
  code: string,
  message: string,
  field?: string,
): DomainError => (field === undefined ? { category, code, message } : { category, code, message, field });
