/**
 * Exact integer division for credit amounts. Doubles lose integer precision above 2^53 and a float quotient
 * can land a hair off a whole number, so these go through BigInt.
 */

/** ceil(a / b) for a >= 0, b > 0. */
export const ceilDiv = (a: number, b: number): number => {
  const x = BigInt(a);
  const y = BigInt(b);
  return Number((x + y - 1n) / y);
};

/** floor(part x 100 / whole); 0 when whole is 0. */
export const percentOf = (part: number, whole: number): number =>
  whole <= 0 ? 0 : Number((BigInt(part) * 100n) / BigInt(whole));
