// Types for harness.js (plain CommonJS, run by Node directly) as the TypeScript UI tests use it.
import type { ChildProcess } from 'node:child_process';
import type { Browser, ConsoleMessage } from 'playwright-core';

export interface Profile {
  root: string;
  userDataDir: string;
  extensionsDir: string;
  configFile: string;
}

export interface CodeServer {
  url: string;
  port: number;
  proc: ChildProcess;
  exited: Promise<{ code: number | null; sig: NodeJS.Signals | null }>;
  output(): string;
  kill(): Promise<void>;
}

export const ROOT: string;
export const VSCODE_TEST_DIR: string;
export const CHROMIUM: string;
export const DEFAULT_SETTINGS: Record<string, unknown>;
export function log(...args: unknown[]): void;
export function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T>;
export function checkInstalled(): typeof import('playwright-core');
export function makeTempProfile(settings?: Record<string, unknown>): Profile;
export function startCodeServer(options: {
  profile: Profile;
  extraArgs?: string[];
  env?: Record<string, string>;
  timeoutMs?: number;
  verbose?: boolean;
}): Promise<CodeServer>;
/** The server flag that makes the web client honour `payload`. */
export const SMOKE_TEST_DRIVER_ARGS: string[];
export function installVsix(profile: Profile, vsix: string, timeoutMs?: number): void;
export function workbenchUrl(
  server: CodeServer,
  options?: { folder?: string; payload?: [string, string][] },
): string;
export function remoteUri(server: CodeServer, path: string): string;
export function launchChromium(
  pw: typeof import('playwright-core'),
  options?: { timeoutMs?: number; profile?: Profile | null },
): Promise<Browser>;
export function closeBrowser(browser: Browser | null | undefined): Promise<void>;
export function consoleMessageText(msg: ConsoleMessage): Promise<{ level: string; text: string }>;
export function rmrf(path: string): void;
