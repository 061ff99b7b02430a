import { type TrustProxy } from './http/proxy-trust.js';
import { type AlertConfig } from './alerts/config.js';
export interface Config {
    port: number;
    host: string;
    /** Unset: the embedded store. A `redis://`, `redis+cluster://` or `redis+sentinel://` URL. */
    redisUrl: string | null;
    /** Prefix of every Redis key, so several deployments can share one Redis. */
    redisPrefix: string;
    /** Null: the bundled Jiangmen registry. */
    sitesFile: string | null;
    /**
     * Where the embedded store keeps its state across restarts (enrolled tablets, report ids,
     * counts, history); null keeps it in memory only. Unused with Redis.
     */
    storeFile: string | null;
    /**
     * Days the hourly archive keeps each site's hours (server/archive/): weekday comparisons, the
     * typical week and exports of older days. At least 8, so "the same weekday last week" exists.
     */
    historyDays: number;
    /** Null: /api/admin/* answers 403 admin_disabled. */
    adminToken: string | null;
    /**
     * Key material for the sealed copies of staff tokens that let enrolment sheets print a site's
     * link again (auth/seal.ts); null: derived from adminToken, so changing that makes existing
     * links unprintable (the next sheet rotates them).
     */
    enrolSecret: string | null;
    /** keyId -> secrets (several per key during a rotation). */
    carrierKeys: Map<string, string[]>;
    /** Realtime coalescing window: at most one delta and one summary per frame. */
    frameMs: number;
    /**
     * Socket.IO heartbeat: the server pings every `socketPingMs` and drops a client that has not
     * answered `socketPingTimeoutMs` later; the client, seeing no ping for their sum, knows its link
     * is dead (docs/realtime.md). Defaults detect a dead link within ~5 s.
     */
    socketPingMs: number;
    socketPingTimeoutMs: number;
    /**
     * Socket.IO packets a client may send per minute on one connection, and from one IP over all
     * its connections (a carrier NAT holds many phones); bursts of a sixth. Past that packets are
     * dropped and a connection that keeps sending is cut (live/conn-guard.ts).
     */
    socketPacketsPerMin: number;
    socketIpPacketsPerMin: number;
    staffStaleMin: number;
    carrierStaleMin: number;
    levelMinutes: [number, number];
    serviceRate: number;
    /** Where opening hours are read; the bundled registry is in China. */
    timezone: string;
    /** Queue per counted person before a site's carrier feed has been calibrated against staff. */
    carrierRatio: number;
    /** Writes per minute allowed per staff token; ten times as many per client IP (shared NATs). */
    writeRatePerMin: number;
    /**
     * Failed sign-ins (unknown or revoked staff token, wrong admin token) allowed per client IP and
     * hour, after a burst of a third of it; past that the IP gets 429 on authenticated routes.
     */
    authFailuresPerHour: number;
    /** Express `trust proxy`: set when behind nginx so rate limits see real client IPs. */
    trustProxy: TrustProxy;
    /** Public origin for enrolment links (e.g. https://q.example.cn); default: from the request. */
    publicUrl: string | null;
    /** Who may frame /embed (CSP frame-ancestors sources); null: any. Other pages refuse framing. */
    embedOrigins: string[] | null;
    /** Map tiles; null draws sites on a plain background. */
    tileUrl: string | null;
    tileAttribution: string;
    /** Pages show a "demo data" badge. Set by `npm run demo`. */
    demo: boolean;
    logLevel: string;
    /** The city's name on the wall and in reports (Chinese first, and its English form). */
    cityName: string;
    cityNameEn: string;
    /** Alert rules, delivery and storage: see server/alerts/config.ts and docs/command-centre.md. */
    alerts: AlertConfig;
}
export declare const defaultConfig: Config;
export declare class ConfigError extends Error {
    name: string;
}
/** Reads Config from an environment; throws ConfigError with one line per bad variable. */
export declare function configFromEnv(env: NodeJS.ProcessEnv): Config;
export declare const staleMs: (cfg: Config) => {
    staffStaleMs: number;
    carrierStaleMs: number;
};
