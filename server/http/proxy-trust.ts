// TRUST_PROXY, parsed the way Express documents its `trust proxy` setting, and the client address
// worked out from it. One compiled trust function serves Express (req.ip) and the routes answered
// beneath it, so both see the same client address.
import type { IncomingMessage } from 'node:http';
import proxyaddr from 'proxy-addr';

/**
 * false: trust nothing (the socket address is the client); true: trust every hop (the left-most
 * X-Forwarded-For address); a number: trust that many hops; a list: trust these addresses, CIDR
 * ranges or the names loopback, linklocal, uniquelocal.
 */
export type TrustProxy = boolean | number | string[];

/** Parses a TRUST_PROXY value; throws an Error with a one-line message when it is not valid. */
export function parseTrustProxy(raw: string): TrustProxy {
  const s = raw.trim();
  if (s === 'true') return true;
  if (s === 'false') return false;
  // Express reads the string "1" as the address 0.0.0.1; a hop count is what people mean by it.
  if (/^\d+$/.test(s)) return Number(s);
  const list = s.split(',').map((v) => v.trim());
  if (list.some((v) => v === '')) throw new Error('empty entry in the list');
  // proxy-addr throws on anything that is not an address, a CIDR range or a known name.
  proxyaddr.compile(list);
  return list;
}

export type TrustFn = (addr: string, hop: number) => boolean;

export function compileTrust(trust: TrustProxy): TrustFn {
  if (trust === true) return () => true;
  if (trust === false) return () => false;
  if (typeof trust === 'number') return (_addr, hop) => hop < trust;
  return proxyaddr.compile(trust);
}

/** The client's address, as Express's req.ip would give it with the same trust function. */
export const clientAddress = (req: IncomingMessage, trust: TrustFn): string =>
  proxyaddr(req, trust) || req.socket.remoteAddress || 'unknown';
