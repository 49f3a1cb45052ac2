/**
 * The order in which the delivery loop serves organisations with work: the one served longest
 * ago first, those never served before any served (in the order given). The loop keeps only so
 * many calls in flight, so without turns the organisations first in the database's order would
 * send batch after batch while the rest waited; with them no organisation sends its second batch
 * while another with work has not sent its first.
 */
export class Turns {
  /** When each organisation last started a step, as a count of steps started. */
  readonly #servedAt = new Map<string, number>();
  #steps = 0;

  /** `ready` (organisations with work due), least recently served first. */
  order(ready: readonly string[]): string[] {
    // Array.prototype.sort is stable: organisations never served keep the order they came in.
    return [...ready].sort((a, b) => (this.#servedAt.get(a) ?? -1) - (this.#servedAt.get(b) ?? -1));
  }

  /** Records that `organisationId` started a step now: it goes to the back of the line. */
  served(organisationId: string): void {
    this.#servedAt.set(organisationId, ++this.#steps);
  }

  /** Forgets organisations no longer linked to the proxy, so the map does not grow without end. */
  forget(organisationId: string): void {
    this.#servedAt.delete(organisationId);
  }
}
