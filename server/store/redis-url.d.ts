export interface HostPort {
    host: string;
    port: number;
}
export type RedisTarget = {
    kind: 'standalone';
    url: string;
} | {
    kind: 'cluster';
    nodes: HostPort[];
    username?: string;
    password?: string;
    tls: boolean;
} | {
    kind: 'sentinel';
    sentinels: HostPort[];
    masterName: string;
    username?: string;
    password?: string;
    sentinelPassword?: string;
    db: number;
    tls: boolean;
    ackReplicas: number;
};
export declare class RedisUrlError extends Error {
    name: string;
}
/** Throws RedisUrlError with a message fit for a start-up error line (never echoing a password). */
export declare function parseRedisUrl(url: string): RedisTarget;
/** The URL without its passwords, for messages and logs. */
export declare function redactRedisUrl(url: string): string;
