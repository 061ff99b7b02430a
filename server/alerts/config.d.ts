export interface Webhook {
    url: string;
    secret: string;
}
export interface AlertConfig {
    /** Rule "wait": a site's wait over `waitMinutes` ... */
    waitMinutes: number;
    /** ... continuously for this many minutes (one high reading is not an alert). */
    waitForMinutes: number;
    /** Rule "rise": the queue grew by at least this many people in the last 15 minutes. */
    risePeople: number;
    /** Rule "stale": an open site that had data has had none for this many minutes. */
    staleMinutes: number;
    /** Rule "disagree": staff and calibrated carrier queues differ by at least this factor. */
    disagreeFactor: number;
    /** How often the rules are evaluated. */
    evalMs: number;
    /** Operators' receivers; each gets every open/acknowledge/resolve event, signed with its secret. */
    webhooks: Webhook[];
    /** First retry delay of a failed delivery; doubles each time up to `webhookAttempts` tries. */
    webhookRetryMs: number;
    webhookAttempts: number;
    /** The embedded alert store's file (alerts survive restarts); null keeps them in memory. */
    file: string | null;
}
export declare const defaultAlertConfig: AlertConfig;
/** Reads the ALERT_* variables; bad ones are added to `problems` (one line each, secrets not echoed). */
export declare function alertConfigFromEnv(env: NodeJS.ProcessEnv, problems: string[]): AlertConfig;
