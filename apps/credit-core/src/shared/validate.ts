import { domainError, parseId, parsePeriod, parseTimeZone } from '@allot/domain';
import { CoreError, unwrap } from './core-error';

/** Request field checks that throw INVALID_ARGUMENT naming the field (before anything is written). */
export const requireId = (value: string, field: string): string => unwrap(parseId(value, field));

export const requirePeriod = (value: string, field: string): string => unwrap(parsePeriod(value, field));

/** Empty means "the current period"; returns null then. */
export const optionalPeriod = (value: string, field: string): string | null => (value === '' ? null : requirePeriod(value, field));

export const requireTimeZone = (value: string, field: string): string => unwrap(parseTimeZone(value, field));

export const requireText = (value: string, field: string, max = 200): string => {
  if (value.length > max) {
    throw new CoreError(
      domainError('INVALID_ARGUMENT', 'REQUEST.TOO_LONG', `${field} has ${value.length} characters, at most ${max}`, field),
    );
  }
  return value;
};

export const invalid = (code: string, message: string, field: string): CoreError =>
  new CoreError(domainError('INVALID_ARGUMENT', code, message, field));
