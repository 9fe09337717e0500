// Test server: records that it started first thing (a file named argv[2] in PID_DIR; the pid it sees
// may be a PID namespace's own, so tests find the process by PID_DIR on its command line), answers initialize only once the file named by GATE exists
// (at once without GATE), then lists two tools. It keeps itself alive through a closed stdin and through
// writes into a pipe nobody reads any more (EPIPE), so only a deliberate kill ends it: the orphan case.
import { mkdirSync, existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

// Before the SDK loads: the pid file is the readiness marker a test waits for, so it must appear as soon
// as the process runs, not after its imports.
if (process.env.PID_DIR) {
  mkdirSync(process.env.PID_DIR, { recursive: true });
  writeFileSync(join(process.env.PID_DIR, process.argv[2] ?? 'slow'), String(process.pid));
}
setInterval(() => undefined, 60_000);
// A parent killed outright leaves our stdout a broken pipe: answering into it must not end us.
process.stdout.on('error', () => undefined);
process.on('SIGPIPE', () => undefined);

const gate = process.env.GATE;
if (gate) {
  while (!existsSync(gate)) await new Promise((resolve) => setTimeout(resolve, 20));
}
const { Server } = await import('@modelcontextprotocol/sdk/server/index.js');
const { StdioServerTransport } = await import('@modelcontextprotocol/sdk/server/stdio.js');
const { ListToolsRequestSchema } = await import('@modelcontextprotocol/sdk/types.js');
const name = process.argv[2] ?? 'slow';
const server = new Server({ name, version: '1.0.0' }, { capabilities: { tools: {} } });
server.setRequestHandler(ListToolsRequestSchema, async () => ({
  tools: [
    { name: `list_${name}_items`, description: 'List the items.', inputSchema: { type: 'object' } },
    { name: `delete_${name}_item`, description: 'Delete an item permanently.', inputSchema: { type: 'object', properties: { id: { type: 'string' } } } },
  ],
}));
await server.connect(new StdioServerTransport());
