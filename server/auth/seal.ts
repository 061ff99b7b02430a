// Sealed copies of staff tokens, so an enrolment sheet can print a site's existing link again
// while the store still holds no usable token: AES-256-GCM under a key derived with HKDF-SHA256
// from a server secret (ENROL_SECRET, else ADMIN_TOKEN; see config.ts and docs/security.md).
// The token id is the additional data, so a sealed copy moved onto another record does not open.
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

const VERSION = 'v1';
const IV_BYTES = 12;
const TAG_BYTES = 16;
/** Fixed HKDF salt and info: the key depends on the secret alone, and on nothing else's keys. */
const SALT = 'shortline';
const INFO = 'staff-token-seal/v1';

export interface Sealer {
  /** `v1.<iv><ciphertext><tag>` (base64url) of `plain`, bound to `context`. */
  seal(plain: string, context: string): string;
  /** The plain text, or null when the copy was not sealed with this key for this context. */
  open(sealed: string, context: string): string | null;
}

export function createSealer(secret: string): Sealer {
  const key = Buffer.from(hkdfSync('sha256', secret, SALT, INFO, 32));
  return {
    seal(plain, context) {
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', key, iv).setAAD(Buffer.from(context, 'utf8'));
      const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      return `${VERSION}.${Buffer.concat([iv, body, cipher.getAuthTag()]).toString('base64url')}`;
    },
    open(sealed, context) {
      const dot = sealed.indexOf('.');
      if (sealed.slice(0, dot) !== VERSION) return null;
      const raw = Buffer.from(sealed.slice(dot + 1), 'base64url');
      if (raw.length <= IV_BYTES + TAG_BYTES) return null;
      try {
        const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, IV_BYTES), { authTagLength: TAG_BYTES })
          .setAAD(Buffer.from(context, 'utf8'))
          .setAuthTag(raw.subarray(raw.length - TAG_BYTES));
        const plain = Buffer.concat([
          decipher.update(raw.subarray(IV_BYTES, raw.length - TAG_BYTES)),
          decipher.final(),
        ]);
        return plain.toString('utf8');
      } catch {
        // Wrong key, wrong context or changed bytes: GCM's tag check fails, and that is all we say.
        return null;
      }
    },
  };
}
