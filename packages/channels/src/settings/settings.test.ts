import { describe, expect, it } from 'vitest';
import { createSettingsCipher, SettingsDecryptError } from './cipher.js';
import { type ChannelSettings, channelSettingsSchema } from './schema.js';
import { joinSecrets, keepStoredSecrets, maskSecrets, splitSecrets } from './secrets.js';
import { validateChannelSettings } from './validate.js';

const sms = (extra: Record<string, unknown> = {}): ChannelSettings =>
  channelSettingsSchema.parse({
    adapter: 'http',
    url: 'https://sms.example/v1/messages',
    auth: { type: 'bearer', token: 'sk_live_0123456789abcd' },
    ...extra,
  });

describe('channel settings credentials', () => {
  it('encrypts with a key that names itself, and decrypts with the old key after a rotation', () => {
    const old = createSettingsCipher(['old-secret-0123456789']);
    // A token base64url cannot spell (a space): "sk" alone turned up in random ciphertext now and then.
    const envelope = old.encrypt('{"auth.token":"sk live 42"}', 'ws/sms');
    expect(envelope).not.toContain('sk live 42');
    expect(envelope.split('.')[1]).toBe(old.keyId);
    const rotated = createSettingsCipher(['new-secret-0123456789', 'old-secret-0123456789']);
    expect(rotated.keyId).not.toBe(old.keyId);
    expect(rotated.decrypt(envelope, 'ws/sms')).toBe('{"auth.token":"sk live 42"}');
    expect(rotated.encrypt('x', 'ws/sms').split('.')[1]).toBe(rotated.keyId);
  });

  it('refuses an envelope moved to another row, tampered with, or under a forgotten key', () => {
    const cipher = createSettingsCipher(['a-secret-0123456789']);
    const envelope = cipher.encrypt('secret', 'ws-1/sms');
    expect(() => cipher.decrypt(envelope, 'ws-2/sms')).toThrow(SettingsDecryptError);
    const parts = envelope.split('.');
    parts[3] = Buffer.from('other').toString('base64url');
    expect(() => cipher.decrypt(parts.join('.'), 'ws-1/sms')).toThrow(/do not decrypt/);
    expect(() => createSettingsCipher(['another-secret-0123']).decrypt(envelope, 'ws-1/sms')).toThrow(
      /no configured secret derives/,
    );
  });

  it('splits credentials out, masks them, and puts them back', () => {
    const { config, secrets } = splitSecrets(sms());
    expect(config).toMatchObject({ auth: { type: 'bearer' } });
    expect(JSON.stringify(config)).not.toContain('sk_live');
    expect(secrets).toEqual({ 'auth.token': 'sk_live_0123456789abcd' });
    expect(maskSecrets(config, secrets)).toMatchObject({ auth: { token: '••••abcd' } });
    expect(joinSecrets(config, secrets)).toEqual(sms());
  });

  it('keeps the stored credential when a PUT leaves it out or sends the mask back', () => {
    const stored = { 'auth.token': 'sk_live_0123456789abcd' };
    const omitted = channelSettingsSchema.parse({
      adapter: 'http',
      url: 'https://sms.example/v2',
      auth: { type: 'bearer' },
    });
    expect(keepStoredSecrets(omitted, stored)).toMatchObject({ auth: { token: 'sk_live_0123456789abcd' } });
    const masked = sms({ auth: { type: 'bearer', token: '••••abcd' } });
    expect(keepStoredSecrets(masked, stored)).toMatchObject({ auth: { token: 'sk_live_0123456789abcd' } });
    const replaced = sms({ auth: { type: 'bearer', token: 'sk_new' } });
    expect(keepStoredSecrets(replaced, stored)).toMatchObject({ auth: { token: 'sk_new' } });
  });
});

describe('channel settings validation', () => {
  it('names what is wrong', () => {
    expect(validateChannelSettings('email', sms())).toEqual([
      { path: 'adapter', message: 'the email channel takes sandbox or smtp' },
    ]);
    const noToken = channelSettingsSchema.parse({
      adapter: 'http',
      url: 'https://p.example',
      auth: { type: 'basic', username: 'u' },
    });
    expect(validateChannelSettings('sms', noToken)).toEqual([
      { path: 'auth.password', message: 'is required (no stored value to keep)' },
    ]);
    expect(validateChannelSettings('sms', sms({ body: { to: '{{ to | nope }}' } }))[0]?.path).toBe('body.to');
    expect(validateChannelSettings('sms', sms({ url: 'http://127.0.0.1:9000/sms' }))[0]).toMatchObject({
      path: 'url',
      message: expect.stringMatching(/loopback address .*; set allowPrivate/),
    });
    expect(
      validateChannelSettings('sms', sms({ url: 'http://127.0.0.1:9000/sms', allowPrivate: true })),
    ).toEqual([]);
  });
});
