export type StartPlan = { action: 'electron'; bin: string } | { action: 'download' } | { action: 'headless'; reasons: string[] };
type Env = Record<string, string | undefined>;

export function hasDisplay(platform: string, env: Env): boolean;
export function planStart(s: { platform: string; env: Env; electronPackage: boolean; electronBinary: string | null; downloadFailed?: boolean }): StartPlan;
export function browserCommand(platform: string, env: Env, url: string): { command: string; args: string[] } | null;
export function headlessIntro(reasons: string[]): string[];
