import { createCipheriv, createDecipheriv, createHash, hkdfSync, randomBytes } from 'node:crypto';

/**
 * Encrypts channel credentials at rest with AES-256-GCM. The key is derived with HKDF-SHA256
 * from an installation secret (TOUCHLINE_SECRET, else the secret generated on first start), so
 * no key is stored beside the data it protects when TOUCHLINE_SECRET is set. Each envelope names
 * its key (`v1.<keyId>.<iv>.<ciphertext>.<tag>`): with TOUCHLINE_SECRET=new,old the first
 * secret encrypts and every one decrypts, which is how a key is rotated.
 */
export interface SettingsCipher {
  /** The id of the key that encrypts (the first secret's). */
  readonly keyId: string;
  /** `aad` binds the envelope to its row (`<workspace>/<channel>`): moved to another, it fails. */
  encrypt(plaintext: string, aad: string): string;
  decrypt(envelope: string, aad: string): string;
}

interface Key {
  id: string;
  key: Buffer;
}

function deriveKey(secret: string): Key {
  const key = Buffer.from(hkdfSync('sha256', secret, 'touchline/channel-settings', 'aes-256-gcm key v1', 32));
  // A fingerprint of the derived key, not of the secret: it reveals nothing usable.
  const id = createHash('sha256').update(key).digest('hex').slice(0, 12);
  return { id, key };
}

export class SettingsDecryptError extends Error {
  override readonly name = 'SettingsDecryptError';
}

export function createSettingsCipher(secrets: readonly string[]): SettingsCipher {
  const keys = secrets.filter(Boolean).map(deriveKey);
  const first = keys[0];
  if (!first) throw new Error('channel settings need a secret to derive their key from');
  const byId = new Map(keys.map((key) => [key.id, key]));
  return {
    keyId: first.id,
    encrypt(plaintext, aad) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', first.key, iv);
      cipher.setAAD(Buffer.from(aad));
      const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
      return ['v1', first.id, iv, ciphertext, cipher.getAuthTag()]
        .map((part) => (typeof part === 'string' ? part : part.toString('base64url')))
        .join('.');
    },
    decrypt(envelope, aad) {
      const [version, keyId, iv, ciphertext, tag] = envelope.split('.');
      if (version !== 'v1' || !keyId || !iv || ciphertext === undefined || !tag) {
        throw new SettingsDecryptError('channel credentials: not an encrypted envelope');
      }
      const key = byId.get(keyId);
      if (!key) {
        throw new SettingsDecryptError(
          `channel credentials were encrypted with key ${keyId}, which no configured secret derives (was TOUCHLINE_SECRET changed without keeping the old one after a comma?)`,
        );
      }
      try {
        const decipher = createDecipheriv('aes-256-gcm', key.key, Buffer.from(iv, 'base64url'));
        decipher.setAAD(Buffer.from(aad));
        decipher.setAuthTag(Buffer.from(tag, 'base64url'));
        return Buffer.concat([
          decipher.update(Buffer.from(ciphertext, 'base64url')),
          decipher.final(),
        ]).toString('utf8');
      } catch {
        throw new SettingsDecryptError(
          'channel credentials do not decrypt: tampered with, or moved from another row',
        );
      }
    },
  };
}
