/**
 * One CSV cell of the usage export: quoted when it holds a comma, quote or line break, and defused when a
 * spreadsheet would run it as a formula (a leading =, +, -, @, tab or carriage return gets a leading '), as
 * OWASP recommends for CSV injection. Display names and user ids come from clients, so any of them may try.
 */
export function csvCell(value: string): string {
  const defused = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(defused) ? `"${defused.replace(/"/g, '""')}"` : defused;
}
