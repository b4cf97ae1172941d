const dateTime = new Intl.DateTimeFormat('da-DK', {
  dateStyle: 'short',
  timeStyle: 'short',
  timeZone: 'Europe/Copenhagen',
});

/** "30.11.2026 14.05" in Danish time, formatted on the server so the browser renders it as is. */
export function formatDateTime(d: Date | string | null | undefined): string {
  if (!d) return '';
  return dateTime.format(typeof d === 'string' ? new Date(d) : d);
}
