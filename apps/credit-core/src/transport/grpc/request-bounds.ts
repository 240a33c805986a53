/**
 * The first check of every request, before any use case sees it (docs/api.md, Errors): each string has a
 * bounded length and no control character (NUL included), each number is a whole number within 2^53-1, each
 * time lies in 0001..9999. Use cases then apply their own, narrower rules (ids, display names, periods).
 * Messages quote at most a short prefix of a bad value, so an error always fits in the status trailers.
 */
import { domainError, type DomainError } from '@allot/domain';

/** Longest string accepted in any field, unless listed in LONG_FIELDS. */
export const MAX_STRING = 1_024;
/** Fields whose content is longer by nature (a Teams conversation reference is JSON). */
const LONG_FIELDS: Readonly<Record<string, number>> = { reference: 16_384 };
/** How much of a bad value an error message quotes. */
const QUOTE = 24;
/** Largest nesting the walker follows; requests of the contract are at most 3 deep. */
const MAX_DEPTH = 8;
const MIN_TIME_MS = Date.parse('0001-01-01T00:00:00Z');
const MAX_TIME_MS = Date.parse('9999-12-31T23:59:59.999Z');

const snake = (name: string): string => name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

/** A short, printable prefix of a value for an error message. */
export function quotePrefix(value: string): string {
  const shown = [...value.slice(0, QUOTE * 2)]
    .slice(0, QUOTE)
    .map((c) => {
      const code = c.codePointAt(0) ?? 0;
      return code < 0x20 || code === 0x7f ? `\\u${code.toString(16).padStart(4, '0')}` : c;
    })
    .join('');
  return JSON.stringify(shown).slice(0, -1) + (value.length > QUOTE ? '..."' : '"');
}

const invalid = (field: string, code: string, message: string): DomainError => domainError('INVALID_ARGUMENT', code, message, field);

function checkString(value: string, field: string, leaf: string): DomainError | null {
  const max = LONG_FIELDS[leaf] ?? MAX_STRING;
  if (value.length > max) return invalid(field, 'REQUEST.TOO_LONG', `${field} has ${value.length} characters, at most ${max} (${quotePrefix(value)})`);
  const control = /[\u0000-\u001f\u007f]/.exec(value);
  if (control !== null) {
    const code = control[0].charCodeAt(0).toString(16).padStart(4, '0');
    return invalid(field, 'REQUEST.CONTROL_CHARACTER', `${field} holds the control character U+${code.toUpperCase()} at position ${control.index} (${quotePrefix(value)}); control characters and NUL are not accepted`);
  }
  return null;
}

function checkNumber(value: number, field: string): DomainError | null {
  if (Number.isSafeInteger(value)) return null;
  return invalid(field, 'REQUEST.NUMBER_OUT_OF_RANGE', `${field} must be a whole number between -(2^53-1) and 2^53-1, got ${String(value).slice(0, QUOTE)}`);
}

function checkTime(value: Date, field: string): DomainError | null {
  const ms = value.getTime();
  if (Number.isFinite(ms) && ms >= MIN_TIME_MS && ms <= MAX_TIME_MS) return null;
  return invalid(field, 'REQUEST.TIME_OUT_OF_RANGE', `${field} must be a time between 0001-01-01 and 9999-12-31`);
}

/**
 * The first bound a decoded request breaks, or null. Field paths are as on the wire: `events[3].source_id`.
 */
export function requestBoundsViolation(request: unknown): DomainError | null {
  const walk = (value: unknown, field: string, leaf: string, depth: number): DomainError | null => {
    if (typeof value === 'string') return checkString(value, field, leaf);
    if (typeof value === 'number') return checkNumber(value, field);
    if (value instanceof Date) return checkTime(value, field);
    if (value === null || typeof value !== 'object' || depth > MAX_DEPTH) return null;
    if (value instanceof Uint8Array) return null;
    if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) {
        const bad = walk(value[i], `${field}[${i}]`, leaf, depth + 1);
        if (bad !== null) return bad;
      }
      return null;
    }
    for (const [key, child] of Object.entries(value)) {
      const name = snake(key);
      const bad = walk(child, field === '' ? name : `${field}.${name}`, name, depth + 1);
      if (bad !== null) return bad;
    }
    return null;
  };
  return walk(request, '', '', 0);
}
