// Test server: a real MCP server that also prints junk lines to stdout around the protocol.
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { ListToolsRequestSchema } from '@modelcontextprotocol/sdk/types.js';

process.stdout.write('Starting noisy server v1...\n');
process.stdout.write('{"log": "json but not JSON-RPC"}\n');
const server = new Server({ name: 'noisy', version: '0.0.1' }, { capabilities: { tools: {} } });
server.setRequestHandler(ListToolsRequestSchema, async () => {
  process.stdout.write('listing tools now!\n');
  return { tools: [{ name: 'ping', description: 'Ping', inputSchema: { type: 'object' } }] };
});
await server.connect(new StdioServerTransport());
process.stdout.write('connected, waiting for requests\n');
