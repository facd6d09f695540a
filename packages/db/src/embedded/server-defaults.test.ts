import { describe, expect, it } from 'vitest';
import { serverDefaults } from './embedded-postgres.js';

const GiB = 2 ** 30;

describe('the embedded server defaults', () => {
  it('give shared buffers a quarter of the memory, at most 2 GB and at least initdb’s 128 MB', () => {
    expect(serverDefaults(24 * GiB).shared_buffers).toBe('2048MB');
    expect(serverDefaults(2 * GiB).shared_buffers).toBe('512MB');
    expect(serverDefaults(256 * 2 ** 20).shared_buffers).toBe('128MB');
  });

  it('checkpoint every 15 minutes or 4 GB of WAL', () => {
    expect(serverDefaults(24 * GiB)).toMatchObject({ max_wal_size: '4GB', checkpoint_timeout: '15min' });
  });

  it('make new WAL segments without writing 16 MB of zeros under the WAL write lock', () => {
    expect(serverDefaults(24 * GiB).wal_init_zero).toBe('off');
  });
});
