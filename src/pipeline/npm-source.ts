// Scans a server package: install (or find) it in the isolated cache, start its bin over stdio, record the exact version.
import { scanServer } from '../ingest/index.js';
import type { ScanOptions } from '../ingest/index.js';
import type { ServerSnapshot } from '../model/index.js';
import { formatNpmSpec, installNpmPackage, targetForPackage } from '../packages/index.js';
import type { InstallOptions, NpmSpec } from '../packages/index.js';

export interface NpmScanRequest {
  spec: NpmSpec;
  install: InstallOptions;
  args?: string[];
  env?: Record<string, string>;
  /** Stored name; default the package name. */
  name?: string;
  scan?: ScanOptions;
}

export interface NpmScan {
  snapshot: ServerSnapshot;
  /** The exact version scanned. */
  version: string;
  /** True when the version was already in the cache. */
  cached: boolean;
}

/** Install failures throw (one-line McpRiskError); a server that fails to start is a snapshot with status `failed`. */
export async function scanNpmPackage(request: NpmScanRequest): Promise<NpmScan> {
  const pkg = await installNpmPackage(request.spec, request.install);
  const target = targetForPackage(pkg, {
    ...(request.args !== undefined ? { args: request.args } : {}),
    ...(request.env !== undefined ? { env: request.env } : {}),
    name: request.name ?? pkg.name,
  });
  const scan = request.scan ?? {};
  // Inside the sandbox the cache may lie in a hidden place (a home, /tmp): the install is bound back, read-only.
  const sandbox = scan.sandbox === undefined ? {} : { sandbox: { ...scan.sandbox, readable: [...(scan.sandbox.readable ?? []), pkg.installDir] } };
  const snapshot = await scanServer(target, { ...scan, ...sandbox });
  // The cache path differs per machine; what was scanned is the package at its exact version.
  snapshot.source = { kind: 'npm', target: `npm:${formatNpmSpec({ name: pkg.name, range: pkg.version })}` };
  return { snapshot, version: pkg.version, cached: pkg.cached };
}
