// Short site codes for posters and loudspeakers: four characters from an alphabet with nothing
// that reads or sounds like something else (no 0/O/Q, 1/I/L, 2/Z, 5/S, 8/B, U/V). Derived from the
// site id alone (FNV-1a, salted on a collision), so every instance and every restart computes the
// same codes without storing them, and the client can compute them from GET /api/sites.
export const CODE_ALPHABET = '34679ACDEFGHJKMNPRTWXY';
export const CODE_LENGTH = 4;
const SPACE = CODE_ALPHABET.length ** CODE_LENGTH;

function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/** The code a site id gets at a given salt (0 unless an earlier id took that code). */
export function codeFor(id: string, salt = 0): string {
  let n = fnv1a(salt === 0 ? id : `${id}#${salt}`) % SPACE;
  let out = '';
  for (let i = 0; i < CODE_LENGTH; i++) {
    out = CODE_ALPHABET[n % CODE_ALPHABET.length] + out;
    n = Math.floor(n / CODE_ALPHABET.length);
  }
  return out;
}

/**
 * Codes for a whole registry. Collisions are resolved in the order of the ids (sorted by code
 * unit, not locale), so the result depends on the set of ids only, never on file order; a site
 * keeps its code across reloads unless a new site that sorts before it lands on the same code.
 */
export function shortCodes(ids: readonly string[]): Map<string, string> {
  if (ids.length > SPACE / 4) throw new Error(`too many sites for ${CODE_LENGTH}-character codes: ${ids.length}`);
  const taken = new Set<string>();
  const byId = new Map<string, string>();
  for (const id of [...ids].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))) {
    let salt = 0;
    let code = codeFor(id);
    while (taken.has(code)) code = codeFor(id, ++salt);
    taken.add(code);
    byId.set(id, code);
  }
  return byId;
}

/** What a person typed, as a code: case and separators ignored; null when it cannot be one. */
export function normaliseCode(typed: string): string | null {
  const c = typed.replace(/[\s\-_.]/g, '').toUpperCase();
  if (c.length !== CODE_LENGTH) return null;
  for (const ch of c) if (!CODE_ALPHABET.includes(ch)) return null;
  return c;
}

/** "K7M3" printed as "K7 M3", easier to read aloud. */
export const spacedCode = (code: string): string => `${code.slice(0, 2)} ${code.slice(2)}`;
