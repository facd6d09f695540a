/**
 * Group commit: callers submit work and wait; whatever arrives while a group is being written
 * goes into the next group, so one transaction (and one fsync) acknowledges many calls. With
 * no load a submission is written at once: latency is one transaction, not a timer.
 */
/** A submission of a group that failed on its own while the others were written. */
export class SubmissionFailed {
  constructor(readonly error: unknown) {}
}

export interface GroupCommitOptions<T, R> {
  /** Writes one group; returns one result (or SubmissionFailed) per submission, in order. */
  write(items: readonly T[]): Promise<Array<R | SubmissionFailed>>;
  /** The size of a submission (events in it); groups stop growing past maxGroupSize. */
  sizeOf(item: T): number;
  maxGroupSize: number;
  /** Groups written at the same time, each on its own connection. */
  maxInFlight: number;
}

interface Pending<T, R> {
  item: T;
  resolve(result: R): void;
  reject(error: unknown): void;
}

export class GroupCommitter<T, R> {
  #queue: Pending<T, R>[] = [];
  #queuedSize = 0;
  #inFlight = 0;
  #idle: Array<() => void> = [];
  readonly stats = { groups: 0, items: 0, largestGroup: 0 };

  constructor(private readonly options: GroupCommitOptions<T, R>) {}

  /** The size (events) of what waits for a group, not counting the groups being written. */
  get queuedSize(): number {
    return this.#queuedSize;
  }

  submit(item: T): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.#queue.push({ item, resolve, reject });
      this.#queuedSize += this.options.sizeOf(item);
      this.#pump();
    });
  }

  /** Resolves once everything submitted so far is written (or failed). */
  drain(): Promise<void> {
    if (this.#inFlight === 0 && this.#queue.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.#idle.push(resolve));
  }

  #pump(): void {
    while (this.#inFlight < this.options.maxInFlight && this.#queue.length > 0) {
      const group: Pending<T, R>[] = [];
      let size = 0;
      while (this.#queue.length > 0) {
        const next = this.#queue[0] as Pending<T, R>;
        const nextSize = this.options.sizeOf(next.item);
        if (group.length > 0 && size + nextSize > this.options.maxGroupSize) break;
        group.push(next);
        size += nextSize;
        this.#queue.shift();
        this.#queuedSize -= nextSize;
      }
      this.#inFlight++;
      this.stats.groups++;
      this.stats.items += group.length;
      if (size > this.stats.largestGroup) this.stats.largestGroup = size;
      void this.#run(group);
    }
  }

  async #run(group: Pending<T, R>[]): Promise<void> {
    try {
      const results = await this.options.write(group.map((p) => p.item));
      group.forEach((p, i) => {
        const result = results[i];
        if (result instanceof SubmissionFailed) p.reject(result.error);
        else p.resolve(result as R);
      });
    } catch (error) {
      for (const p of group) p.reject(error);
    } finally {
      this.#inFlight--;
      this.#pump();
      if (this.#inFlight === 0 && this.#queue.length === 0) {
        for (const resolve of this.#idle.splice(0)) resolve();
      }
    }
  }
}
