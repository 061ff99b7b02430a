import type { IncomingMessage } from 'node:http';
/**
 * false: trust nothing (the socket address is the client); true: trust every hop (the left-most
 * X-Forwarded-For address); a number: trust that many hops; a list: trust these addresses, CIDR
 * ranges or the names loopback, linklocal, uniquelocal.
 */
export type TrustProxy = boolean | number | string[];
/** Parses a TRUST_PROXY value; throws an Error with a one-line message when it is not valid. */
export declare function parseTrustProxy(raw: string): TrustProxy;
export type TrustFn = (addr: string, hop: number) => boolean;
export declare function compileTrust(trust: TrustProxy): TrustFn;
/** The client's address, as Express's req.ip would give it with the same trust function. */
export declare const clientAddress: (req: IncomingMessage, trust: TrustFn) => string;
