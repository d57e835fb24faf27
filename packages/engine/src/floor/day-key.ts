/**
 * The calendar day of an instant in a time zone, as "YYYY-MM-DD": what "today" means for the
 * floor's counters (they start again when it changes). One formatter per zone, made once.
 */
export function dayKeyIn(timeZone = 'UTC'): (at: number) => string {
  const format = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
  return (at) => format.format(at);
}
