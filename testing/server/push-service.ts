// A push service of our own for tests: an HTTPS server on 127.0.0.1 (web-push only speaks https)
// with a self-signed certificate made here, subscriptions with real P-256 keys as a browser makes
// them, and what a browser does with a push: check the VAPID token (RFC 8292) and decrypt the
// aes128gcm body (RFC 8291, RFC 8188). Nothing is mocked: web-push talks to this as to a real one.
import {
  createDecipheriv,
  createECDH,
  createPublicKey,
  generateKeyPairSync,
  hkdfSync,
  randomBytes,
  sign,
  verify,
  type ECDH,
  type KeyObject,
} from 'node:crypto';
import { Agent, createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';

// --- a self-signed certificate for 127.0.0.1, DER by hand (Node can sign but not build X.509) ---

const lenOf = (n: number) => (n < 128 ? [n] : n < 256 ? [0x81, n] : [0x82, n >> 8, n & 255]);
const tlv = (tag: number, ...parts: Buffer[]) => {
  const body = Buffer.concat(parts);
  return Buffer.concat([Buffer.from([tag, ...lenOf(body.length)]), body]);
};
const seq = (...p: Buffer[]) => tlv(0x30, ...p);
const oid = (dotted: string) => {
  const [a, b, ...rest] = dotted.split('.').map(Number);
  const out = [40 * a! + b!];
  for (const n of rest) {
    const groups = [n & 127];
    for (let v = n >> 7; v > 0; v >>= 7) groups.unshift((v & 127) | 128);
    out.push(...groups);
  }
  return tlv(0x06, Buffer.from(out));
};
const utcTime = (ms: number) =>
  tlv(
    0x17,
    Buffer.from(
      new Date(ms)
        .toISOString()
        .replace(/[-:T]|\.\d+/g, '')
        .slice(2),
    ),
  );

/** A P-256 key and a certificate for IP 127.0.0.1, valid from a day ago to a day ahead. */
export function selfSignedCert(): { key: string; cert: string } {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const name = seq(tlv(0x31, seq(oid('2.5.4.3'), tlv(0x0c, Buffer.from('127.0.0.1')))));
  const ecdsaSha256 = seq(oid('1.2.840.10045.4.3.2'));
  const now = Date.now();
  const tbs = seq(
    tlv(0xa0, tlv(0x02, Buffer.from([2]))), // version 3
    tlv(0x02, Buffer.concat([Buffer.from([0x01]), randomBytes(8)])), // positive serial
    ecdsaSha256,
    name,
    seq(utcTime(now - 86_400_000), utcTime(now + 86_400_000)),
    name,
    publicKey.export({ type: 'spki', format: 'der' }),
    tlv(
      0xa3,
      seq(
        // subjectAltName: IP 127.0.0.1, which Node's TLS checks the host against.
        seq(oid('2.5.29.17'), tlv(0x04, seq(tlv(0x87, Buffer.from([127, 0, 0, 1]))))),
        // basicConstraints CA:TRUE, so the certificate can be its own trust anchor.
        seq(oid('2.5.29.19'), tlv(0x04, seq(tlv(0x01, Buffer.from([0xff]))))),
      ),
    ),
  );
  const signature = sign('sha256', tbs, privateKey);
  const der = seq(tbs, ecdsaSha256, tlv(0x03, Buffer.from([0]), signature));
  const b64 = der.toString('base64').replace(/.{64}/g, '$&\n');
  return {
    key: privateKey.export({ type: 'pkcs8', format: 'pem' }) as string,
    cert: `-----BEGIN CERTIFICATE-----\n${b64}\n-----END CERTIFICATE-----\n`.replace('\n\n', '\n'),
  };
}

// --- what the browser does with a push -------------------------------------------------------

export interface Received {
  path: string;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

/** A browser's push subscription: its JSON (what the page sends) and its private keys. */
export class TestSubscription {
  private readonly ecdh: ECDH = createECDH('prime256v1');
  private readonly auth = randomBytes(16);
  readonly json: { endpoint: string; expirationTime: null; keys: { p256dh: string; auth: string } };

  constructor(readonly endpoint: string) {
    this.ecdh.generateKeys();
    this.json = {
      endpoint,
      expirationTime: null,
      keys: { p256dh: this.ecdh.getPublicKey('base64url'), auth: this.auth.toString('base64url') },
    };
  }

  get path(): string {
    return new URL(this.endpoint).pathname;
  }

  /** RFC 8291: the aes128gcm record decrypted with this subscription's keys, as JSON. */
  decrypt(body: Buffer): unknown {
    const salt = body.subarray(0, 16);
    const idLen = body[20]!;
    const asPublic = body.subarray(21, 21 + idLen);
    const sealed = body.subarray(21 + idLen);
    const info = Buffer.concat([Buffer.from('WebPush: info\0'), this.ecdh.getPublicKey(), asPublic]);
    const ikm = Buffer.from(hkdfSync('sha256', this.ecdh.computeSecret(asPublic), this.auth, info, 32));
    const cek = Buffer.from(hkdfSync('sha256', ikm, salt, Buffer.from('Content-Encoding: aes128gcm\0'), 16));
    const nonce = Buffer.from(hkdfSync('sha256', ikm, salt, Buffer.from('Content-Encoding: nonce\0'), 12));
    const d = createDecipheriv('aes-128-gcm', cek, nonce);
    d.setAuthTag(sealed.subarray(-16));
    const plain = Buffer.concat([d.update(sealed.subarray(0, -16)), d.final()]);
    // One record: the text, then the last-record delimiter 0x02, then zero padding.
    let end = plain.length - 1;
    while (end > 0 && plain[end] === 0) end--;
    if (plain[end] !== 2) throw new Error('not a single final aes128gcm record');
    return JSON.parse(plain.subarray(0, end).toString('utf8'));
  }
}

const publicKeyOf = (raw: Buffer): KeyObject =>
  createPublicKey({
    key: {
      kty: 'EC',
      crv: 'P-256',
      x: raw.subarray(1, 33).toString('base64url'),
      y: raw.subarray(33, 65).toString('base64url'),
    },
    format: 'jwk',
  });

/**
 * RFC 8292: `Authorization: vapid t=<ES256 JWT>, k=<public key>`. Returns the token's claims when
 * k is `publicKey` and the signature verifies with it; throws otherwise.
 */
export function verifyVapid(authorization: string | undefined, publicKey: string): Record<string, unknown> {
  const m = /^vapid t=([\w-]+\.[\w-]+\.[\w-]+), k=([\w-]+)$/.exec(authorization ?? '');
  if (!m) throw new Error(`not a vapid Authorization header: ${authorization}`);
  if (m[2] !== publicKey) throw new Error('k is not the server public key');
  const [head, claims, sig] = m[1]!.split('.') as [string, string, string];
  const key = publicKeyOf(Buffer.from(publicKey, 'base64url'));
  const ok = verify(
    'sha256',
    Buffer.from(`${head}.${claims}`),
    { key, dsaEncoding: 'ieee-p1363' },
    Buffer.from(sig, 'base64url'),
  );
  if (!ok) throw new Error('VAPID signature does not verify');
  return JSON.parse(Buffer.from(claims, 'base64url').toString('utf8')) as Record<string, unknown>;
}

// --- the service ----------------------------------------------------------------------------

export interface PushService {
  /** https://127.0.0.1:<port> */
  url: string;
  /** An agent trusting this service's certificate (and only it), for web-push's `agent`. */
  agent: Agent;
  received: Received[];
  /** Paths answered 410 Gone, as a push service answers for a subscription the browser dropped. */
  gone: Set<string>;
  subscribe(): TestSubscription;
  close(): Promise<void>;
}

export async function startPushService(): Promise<PushService> {
  const { key, cert } = selfSignedCert();
  const received: Received[] = [];
  const gone = new Set<string>();
  const server: Server = createServer({ key, cert }, (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const path = req.url ?? '/';
      received.push({ path, headers: req.headers, body: Buffer.concat(chunks) });
      res.writeHead(gone.has(path) ? 410 : 201).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const agent = new Agent({ ca: cert, keepAlive: false });
  let n = 0;
  return {
    url,
    agent,
    received,
    gone,
    subscribe: () => new TestSubscription(`${url}/push/${++n}-${randomBytes(6).toString('hex')}`),
    close: () =>
      new Promise<void>((resolve) => {
        agent.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
