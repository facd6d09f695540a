/**
 * Where the wake sweep starts looking for due timers. A woken timer's row is deleted, but its
 * entry stays in the `wake_at` index until vacuum: a scan from the start of the index walks
 * every timer woken since. After a million wakes each claim read some 9,000 index and heap pages
 * (for 1,000 rows), and each idle probe 10,000 (38 ms: 4 lanes probing 10 times a second kept
 * PostgreSQL busy with nothing due). The floor skips them: no timer due before it is looked for.
 *
 * Claims take the earliest due rows and skip only rows another transaction holds, so after a
 * claim nothing earlier than what it took is left but rows in flight elsewhere. Those come back
 * only if that transaction rolls back: this process's own failures drop the floor at once;
 * another process's (a crash) are found when the floor is dropped anyway, every `resetMs`.
 */
export class WakeFloor {
  #value: Date | null = null;
  #since: number;

  constructor(
    private readonly options: {
      /** Below the earliest timer taken, for clocks a little apart (the runtime's and the database's). */
      readonly marginMs?: number;
      readonly resetMs?: number;
      readonly now?: () => number;
    } = {},
  ) {
    this.#since = this.#now();
  }

  /** The floor for the next claim or probe; null: from the start of the index. */
  get value(): Date | null {
    if (this.#value !== null && this.#now() - this.#since >= (this.options.resetMs ?? 10_000)) this.drop();
    return this.#value;
  }

  /** After a committed claim: what it took (timer rows with their due time). */
  advance(taken: ReadonlyArray<{ readonly wakeAt?: Date }>): void {
    let earliest = Number.POSITIVE_INFINITY;
    for (const t of taken) if (t.wakeAt && t.wakeAt.getTime() < earliest) earliest = t.wakeAt.getTime();
    if (earliest === Number.POSITIVE_INFINITY) return;
    const floor = earliest - (this.options.marginMs ?? 1_000);
    if (this.#value === null || floor > this.#value.getTime()) this.#value = new Date(floor);
  }

  /** A claim rolled back: its rows are due again, wherever they lie. */
  drop(): void {
    this.#value = null;
    this.#since = this.#now();
  }

  #now(): number {
    return this.options.now?.() ?? Date.now();
  }
}
