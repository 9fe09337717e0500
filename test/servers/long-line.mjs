// Test server: prints one very long junk line, then serves MCP normally.
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { ListToolsRequestSchema } from '@modelcontextprotocol/sdk/types.js';

process.stdout.write(`${'y'.repeat(200_000)}\n`);
const server = new Server({ name: 'long-line', version: '1.0.0' }, { capabilities: { tools: {} } });
server.setRequestHandler(ListToolsRequestSchema, async () => ({ tools: [{ name: 'fine', inputSchema: { type: 'object' } }] }));
await server.connect(new StdioServerTransport());
