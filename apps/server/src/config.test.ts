import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.js';

describe('configuration', () => {
  it('defaults to port 3000, the embedded database and an in-process worker', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({ port: 3000, databaseUrl: undefined, worker: true });
    expect(config.dataDir.endsWith('.data')).toBe(true);
  });

  it('treats an empty variable as unset', () => {
    expect(loadConfig({ DATABASE_URL: '', TOUCHLINE_ADMIN_TOKEN: ' ' })).toMatchObject({
      databaseUrl: undefined,
      adminToken: undefined,
    });
  });

  it('stops start-up with every bad variable named', () => {
    expect(() =>
      loadConfig({ PORT: 'abc', TOUCHLINE_ADMIN_TOKEN: 'short', TOUCHLINE_ADMIN_EMAIL: 'nope' }),
    ).toThrow(ConfigError);
    try {
      loadConfig({ PORT: 'abc', TOUCHLINE_ADMIN_TOKEN: 'short', TOUCHLINE_ADMIN_EMAIL: 'nope' });
    } catch (error) {
      const message = (error as Error).message;
      expect(message).toMatch(/PORT: must be a port number/);
      expect(message).toMatch(/TOUCHLINE_ADMIN_TOKEN: must be at least 16 characters/);
      expect(message).toMatch(/TOUCHLINE_ADMIN_EMAIL/);
    }
  });

  it('bases tracking links on TOUCHLINE_PUBLIC_URL, else on localhost and the port', () => {
    expect(loadConfig({ PORT: '8080' }).publicUrl).toBe('http://localhost:8080');
    expect(loadConfig({ TOUCHLINE_PUBLIC_URL: 'https://t.example.com/' }).publicUrl).toBe(
      'https://t.example.com',
    );
    expect(() => loadConfig({ TOUCHLINE_PUBLIC_URL: 'ftp://t.example.com' })).toThrow(
      /TOUCHLINE_PUBLIC_URL: must be an http\(s\) URL/,
    );
  });

  it('reads TOUCHLINE_SECRET as comma-separated secrets of 16 characters or more', () => {
    expect(loadConfig({}).secrets).toBeUndefined();
    expect(loadConfig({ TOUCHLINE_SECRET: 'a-secret-0123456789 , b-secret-0123456789' }).secrets).toEqual([
      'a-secret-0123456789',
      'b-secret-0123456789',
    ]);
    expect(() => loadConfig({ TOUCHLINE_SECRET: 'a-secret-0123456789,short' })).toThrow(
      /TOUCHLINE_SECRET: each comma-separated secret must be at least 16 characters/,
    );
  });
});
