export declare const GLOBAL_NAME: string;
export declare const DIST: string;
export declare const MODES: { bound: string; addon: string };
export declare const ROOT: string;
export declare const PAGES: { name: string; dir: string }[];
export declare function exportNames(): Promise<string[]>;
export declare function buildServer(outDir?: string, mode?: 'bound' | 'addon'): Promise<string[]>;
export declare function buildPage(page: { name: string; dir: string }, outDir?: string): Promise<void>;
export declare function bundleInputs(target: 'server' | string): Promise<Record<string, number>>;
