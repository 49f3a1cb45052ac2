/**
 * The address a request came from, as the Node adapter saw the socket. Forwarded-for headers are
 * deliberately ignored: any client can write them, and per-address limits would mean nothing.
 */
export function sourceAddress(env: unknown): string {
  return (env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined)?.incoming?.socket?.remoteAddress ?? 'unknown';
}
