// Test helpers for the catalogue tests: a loopback HTTP server with routes, temp folders, fixture paths.
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const FIXTURES = fileURLToPath(new URL('../fixtures/', import.meta.url));

export type Route = (request: IncomingMessage, response: ServerResponse, url: URL) => void;

export interface Loopback {
  base: string;
  /** Every request path with its query, in order. */
  requests: string[];
  close(): Promise<void>;
}

/** Serves `route` on 127.0.0.1 with a port the system picks. */
export async function startLoopback(route: Route): Promise<Loopback> {
  const requests: string[] = [];
  const server: Server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    requests.push(`${url.pathname}${url.search}`);
    route(request, response, url);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  return {
    base: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        // Hanging responses (the timeout tests) would otherwise keep close() waiting.
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export function tempDir(): { path: string; remove(): void } {
  const path = mkdtempSync(join(tmpdir(), 'mcp-risk-catalogue-'));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}
