// Test server: ignores SIGTERM, forks two grandchildren (one in its own session) that ignore it too,
// writes all pids to the file named by argv[2], then serves MCP normally.
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { ListToolsRequestSchema } from '@modelcontextprotocol/sdk/types.js';

process.on('SIGTERM', () => undefined);
const sleeper = "process.on('SIGTERM', () => undefined); setInterval(() => undefined, 60000);";
const inGroup = spawn(process.execPath, ['-e', sleeper], { stdio: 'ignore' });
const escaped = spawn(process.execPath, ['-e', sleeper], { stdio: 'ignore', detached: true });
writeFileSync(process.argv[2], JSON.stringify([process.pid, inGroup.pid, escaped.pid]));

const server = new Server({ name: 'stubborn', version: '1.0.0' }, { capabilities: { tools: {} } });
server.setRequestHandler(ListToolsRequestSchema, async () => ({
  tools: [{ name: 'stay', description: 'Refuses to die', inputSchema: { type: 'object' } }],
}));
await server.connect(new StdioServerTransport());
