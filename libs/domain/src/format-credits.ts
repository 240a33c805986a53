/**
 * Credits for people: "1,300,000". Hand-rolled rather than Intl.NumberFormat so the separator does not
 * depend on the runtime's locale data. Domain error messages use plain integers instead (clients grep them).
 */
export const formatCredits = (credits: number): string => {
  const sign = credits < 0 ? '-' : '';
  return sign + String(Math.abs(credits)).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
};
