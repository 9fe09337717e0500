// Test server: ignores SIGTERM and leaves descendants that ignore it too: one in its group, one in its
// own session, and one double-forked into a new session whose parent is gone (so no parent link leads
// to it). Every descendant carries argv[2] on its command line, so a test finds them all in /proc
// (inside a PID namespace the pids they see are not ours). Writes its own pid view to argv[2].
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { ListToolsRequestSchema } from '@modelcontextprotocol/sdk/types.js';

const token = process.argv[2];
process.on('SIGTERM', () => undefined);
const sleeper = "process.on('SIGTERM', () => undefined); setInterval(() => undefined, 60000);";
const inGroup = spawn(process.execPath, ['-e', sleeper, token], { stdio: 'ignore' });
const escaped = spawn(process.execPath, ['-e', sleeper, token], { stdio: 'ignore', detached: true });
// The middle process starts the grandchild in a new session and exits at once: a classic daemon.
const launcher = `require('node:child_process').spawn(process.execPath, ['-e', ${JSON.stringify(sleeper)}, ${JSON.stringify(token)}], { stdio: 'ignore', detached: true }).unref();`;
const middle = spawn(process.execPath, ['-e', launcher, token], { stdio: 'ignore' });
await new Promise((resolve) => middle.once('exit', resolve));
writeFileSync(token, JSON.stringify([process.pid, inGroup.pid, escaped.pid]));

const server = new Server({ name: 'stubborn', version: '1.0.0' }, { capabilities: { tools: {} } });
server.setRequestHandler(ListToolsRequestSchema, async () => ({
  tools: [{ name: 'stay', description: 'Refuses to die', inputSchema: { type: 'object' } }],
}));
await server.connect(new StdioServerTransport());
