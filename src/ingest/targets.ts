// What the user can point a scan at, and the limits a scan runs under.
import type { SandboxSpec } from './containment.js';

export interface StdioTarget {
  kind: 'stdio';
  name?: string;
  command: string;
  args: string[];
  /** Variables for this server only; nothing else from our environment reaches it except a safe base. */
  env?: Record<string, string>;
  cwd?: string;
}

export interface HttpTarget {
  kind: 'http';
  name?: string;
  url: string;
  /** Sent on every request (POST and the SSE GET); values are never recorded. */
  headers?: Record<string, string>;
  /** `auto` (default) tries Streamable HTTP, then falls back to SSE on a non-auth HTTP error. */
  transport?: 'auto' | 'streamable-http' | 'sse';
}

export type ServerTarget = StdioTarget | HttpTarget;

export interface ScanOptions {
  /** Spawn/connect plus initialize; default 15000. */
  connectTimeoutMs?: number;
  /** The whole tools/list walk (and, separately, each of prompts/list and resources/list); default 30000. */
  listTimeoutMs?: number;
  /** Default 100. */
  maxPages?: number;
  /** Default 5000. */
  maxTools?: number;
  /** HTTP: bytes one response may carry; default 64 MiB, as stdio bounds stdout. */
  maxResponseBytes?: number;
  /** stdio: run the server inside bubblewrap (see containment.ts); ignored for HTTP. */
  sandbox?: SandboxSpec;
}

export const DEFAULT_SCAN_OPTIONS: Required<Omit<ScanOptions, 'sandbox'>> = {
  connectTimeoutMs: 15_000,
  listTimeoutMs: 30_000,
  maxPages: 100,
  maxTools: 5000,
  maxResponseBytes: 64 * 1024 * 1024,
};
