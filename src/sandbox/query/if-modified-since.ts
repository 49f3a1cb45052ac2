const ISO = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?)?(Z|[+-]\d{2}:?\d{2})?$/;

/**
 * The `If-Modified-Since` header as epoch milliseconds. Xero's SDKs send `yyyy-MM-ddTHH:mm:ss`
 * without a zone and mean UTC; HTTP clients send an RFC 1123 date; both are accepted. An
 * unreadable header gives undefined, and is ignored, as HTTP says.
 * @see PROTOCOL.md §4.4
 */
export function parseIfModifiedSince(header: string | undefined): number | undefined {
  if (!header) return undefined;
  const trimmed = header.trim();
  const iso = ISO.exec(trimmed);
  if (iso) {
    // Date.parse would read a zoneless ISO date-time as local time; the SDKs mean UTC.
    const [, y, mo, d, h = '00', mi = '00', s = '00', zone] = iso;
    const offset = zone && zone !== 'Z' ? zone.replace(/^([+-]\d{2}):?(\d{2})$/, '$1:$2') : 'Z';
    const ms = Date.parse(`${y}-${mo}-${d}T${h}:${mi}:${s}${offset}`);
    return Number.isNaN(ms) ? undefined : ms;
  }
  const ms = Date.parse(trimmed);
  return Number.isNaN(ms) ? undefined : ms;
}
