export declare const SOURCES: readonly string[];
export declare const STAMP: string;
export declare function newestSource(root: string): number;
export declare function buildIsCurrent(root: string): boolean;
