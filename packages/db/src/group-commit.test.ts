import { describe, expect, it } from 'vitest';
import { GroupCommitter, SubmissionFailed } from './group-commit.js';

function deferred() {
  let release!: () => void;
  const promise = new Promise<void>((resolve) => {
    release = resolve;
  });
  return { promise, release };
}

describe('GroupCommitter', () => {
  it('writes a lone submission at once, and groups what arrives while a write is in flight', async () => {
    const groups: number[][] = [];
    const gate = deferred();
    const committer = new GroupCommitter<number, number>({
      async write(items) {
        groups.push([...items]);
        if (groups.length === 1) await gate.promise;
        return items.map((i) => i * 10);
      },
      sizeOf: () => 1,
      maxGroupSize: 100,
      maxInFlight: 1,
    });
    const first = committer.submit(1);
    const later = [committer.submit(2), committer.submit(3), committer.submit(4)];
    expect(groups).toEqual([[1]]);
    gate.release();
    expect(await Promise.all([first, ...later])).toEqual([10, 20, 30, 40]);
    expect(groups).toEqual([[1], [2, 3, 4]]);
  });

  it('caps a group at maxGroupSize but never splits one submission', async () => {
    const groups: number[][] = [];
    const gate = deferred();
    const committer = new GroupCommitter<number, number>({
      async write(items) {
        groups.push([...items]);
        if (groups.length === 1) await gate.promise;
        return [...items];
      },
      sizeOf: (n) => n,
      maxGroupSize: 10,
      maxInFlight: 1,
    });
    const all = [committer.submit(1), committer.submit(6), committer.submit(4), committer.submit(25)];
    gate.release();
    await Promise.all(all);
    expect(groups).toEqual([[1], [6, 4], [25]]);
  });

  it('fails only the submission the writer marks as failed', async () => {
    const committer = new GroupCommitter<number, number>({
      write: async (items) => items.map((i) => (i === 2 ? new SubmissionFailed(new Error('bad 2')) : i)),
      sizeOf: () => 1,
      maxGroupSize: 100,
      maxInFlight: 1,
    });
    const results = await Promise.allSettled([committer.submit(1), committer.submit(2), committer.submit(3)]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
  });

  it('drain waits for every accepted submission', async () => {
    let written = 0;
    const committer = new GroupCommitter<number, void>({
      async write(items) {
        await new Promise((resolve) => setTimeout(resolve, 5));
        written += items.length;
        return items.map(() => undefined);
      },
      sizeOf: () => 1,
      maxGroupSize: 2,
      maxInFlight: 2,
    });
    for (let i = 0; i < 7; i++) void committer.submit(i);
    await committer.drain();
    expect(written).toBe(7);
  });
});
