export declare function buildAll(): Promise<void>;
/** Bundles the server into dist/server/index.js (with the registry data beside it). */
export declare function buildServer(): Promise<void>;
