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
    // Looked up once each rather than in every comparison: the loop orders a thousand
    // organisations whenever a call ends. The sort is stable, so organisations never served
    // keep the order they came in.
    const keyed = ready.map((id) => ({ id, at: this.#servedAt.get(id) ?? -1 }));
    keyed.sort((a, b) => a.at - b.at);
    return keyed.map(({ id }) => id);
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
