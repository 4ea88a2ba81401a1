// Types of setup.mjs (plain JavaScript, so that it runs on a fresh clone) for the TypeScript scripts.
export interface Requirement {
  name: string;
  check(): boolean;
  debian: string;
}
export interface QuietSteps {
  run(label: string, cmd: string, args: string[], opts?: { cwd?: string; env?: NodeJS.ProcessEnv }): void;
  fail(label: string, why: string): never;
}
export const REQUIREMENTS: Requirement[];
export function quietSteps(logPath: string): QuietSteps;
export function missingRequirements(names: string[], table?: Requirement[]): Requirement[];
export function installHint(missing: Requirement[]): string;
export function ensureRequirements(names: string[], steps: QuietSteps): void;
