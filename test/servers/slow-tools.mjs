// Test server: records its pid, waits SLOW_MS before answering initialize, then lists two tools. Ignores
// stdin closing and keeps itself alive, so only a deliberate kill ends it (the orphan case).
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { ListToolsRequestSchema } from '@modelcontextprotocol/sdk/types.js';

if (process.env.PID_DIR) {
  mkdirSync(process.env.PID_DIR, { recursive: true });
  writeFileSync(join(process.env.PID_DIR, String(process.pid)), '');
}
setInterval(() => undefined, 60_000);
await new Promise((resolve) => setTimeout(resolve, Number(process.env.SLOW_MS ?? 0)));
const name = process.argv[2] ?? 'slow';
const server = new Server({ name, version: '1.0.0' }, { capabilities: { tools: {} } });
server.setRequestHandler(ListToolsRequestSchema, async () => ({
  tools: [
    { name: `list_${name}_items`, description: 'List the items.', inputSchema: { type: 'object' } },
    { name: `delete_${name}_item`, description: 'Delete an item permanently.', inputSchema: { type: 'object', properties: { id: { type: 'string' } } } },
  ],
}));
await server.connect(new StdioServerTransport());
