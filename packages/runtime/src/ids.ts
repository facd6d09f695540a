import { randomFillSync } from 'node:crypto';

const pool = Buffer.alloc(16 * 256);
let next = pool.length;

/**
 * A UUID version 7 (RFC 9562): 48 bits of Unix milliseconds, then random bits. Enrollment ids
 * made one after another sort one after another, so the enrollments' primary key and the step
 * log's (which leads with the enrollment) grow at their right edge instead of every new
 * enrollment dirtying a random page of each — and, after a checkpoint, logging it whole. Waits
 * wake roughly in the order they were entered, which keeps their updates on few pages too.
 * (The messages table does the same in SQL: migration 0015's touchline_uuid7.)
 */
export function timeOrderedId(now: number = Date.now()): string {
  if (next === pool.length) {
    randomFillSync(pool);
    next = 0;
  }
  const bytes = Buffer.from(pool.subarray(next, next + 16));
  next += 16;
  bytes.writeUIntBE(now, 0, 6);
  bytes[6] = ((bytes[6] as number) & 0x0f) | 0x70;
  bytes[8] = ((bytes[8] as number) & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
