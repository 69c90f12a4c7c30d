/** The emulated install runs with TIME_ZONE=Europe/Paris, as the +01:00/+02:00 offsets of real FireFighter output show. */
const SERVER_TIME_ZONE = 'Europe/Paris';

const offsetFormat = new Intl.DateTimeFormat('en-US', { timeZone: SERVER_TIME_ZONE, timeZoneName: 'longOffset' });

function offsetMinutesAt(epochMs: number): number {
  const name = offsetFormat.formatToParts(new Date(epochMs)).find((part) => part.type === 'timeZoneName')?.value ?? 'GMT';
  const match = /GMT([+-])(\d{2}):(\d{2})/.exec(name);
  if (!match) return 0;
  const minutes = Number(match[2]) * 60 + Number(match[3]);
  return match[1] === '-' ? -minutes : minutes;
}

/** Django's `from_current_timezone`: a naive wall-clock time is read in the server's zone. */
function serverWallTimeToEpochMs(wallTimeAsUtcMs: number): number {
  // Two passes settle the offset on either side of a DST change.
  let guess = wallTimeAsUtcMs - offsetMinutesAt(wallTimeAsUtcMs) * 60_000;
  guess = wallTimeAsUtcMs - offsetMinutesAt(guess) * 60_000;
  return guess;
}

const ISO_DATETIME =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,6}))?)?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/i;

/**
 * forms.DateTimeField: ISO 8601 (`T` or space), optional offset; naive values are server-local time.
 * A `+` left unencoded in a query string arrives as a space and makes the value invalid, as in Django.
 */
export function parseDjangoDateTime(raw: string): number | null {
  const match = ISO_DATETIME.exec(raw.trim());
  if (!match) return null;
  const [, year, month, day, hour = '0', minute = '0', second = '0', fraction = '0', zone] = match;
  const wallTime = Date.UTC(
    Number(year),
    Number(month) - 1,
    Number(day),
    Number(hour),
    Number(minute),
    Number(second),
    Math.floor(Number(fraction.padEnd(6, '0')) / 1000),
  );
  const check = new Date(wallTime);
  if (check.getUTCMonth() !== Number(month) - 1 || check.getUTCDate() !== Number(day) || Number(hour) > 23 || Number(minute) > 59 || Number(second) > 59) {
    return null;
  }
  if (zone === undefined) return serverWallTimeToEpochMs(wallTime);
  if (zone.toUpperCase() === 'Z') return wallTime;
  const sign = zone.startsWith('-') ? -1 : 1;
  const digits = zone.slice(1).replace(':', '');
  const offsetMinutes = Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4) || '0');
  return wallTime - sign * offsetMinutes * 60_000;
}
