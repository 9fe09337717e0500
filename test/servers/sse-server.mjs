// Test server: an SSE-only MCP server on 127.0.0.1 (port from argv[2], 0 = any) that requires header
// `x-test-key: ok` on both the GET and the POST, and prints `listening <port>` once ready.
import { createServer } from 'node:http';
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { SSEServerTransport } from '@modelcontextprotocol/sdk/server/sse.js';
import { ListToolsRequestSchema } from '@modelcontextprotocol/sdk/types.js';

const transports = new Map();
const http = createServer(async (req, res) => {
  const url = new URL(req.url ?? '/', 'http://127.0.0.1');
  if (req.headers['x-test-key'] !== 'ok') {
    res.writeHead(403).end('missing x-test-key');
    return;
  }
  if (req.method === 'GET' && url.pathname === '/sse') {
    const transport = new SSEServerTransport('/messages', res);
    transports.set(transport.sessionId, transport);
    const server = new Server({ name: 'sse-only', version: '2.0.0' }, { capabilities: { tools: {} } });
    server.setRequestHandler(ListToolsRequestSchema, async () => ({
      tools: [{ name: 'over_sse', description: 'Listed over SSE', inputSchema: { type: 'object' } }],
    }));
    await server.connect(transport);
    return;
  }
  if (req.method === 'POST' && url.pathname === '/messages') {
    const transport = transports.get(url.searchParams.get('sessionId'));
    if (transport === undefined) {
      res.writeHead(404).end('unknown session');
      return;
    }
    await transport.handlePostMessage(req, res);
    return;
  }
  // Anything else, including a Streamable HTTP POST to /sse, is not found.
  res.writeHead(404).end('not found');
});
http.listen(Number(process.argv[2] ?? 0), '127.0.0.1', () => {
  console.log(`listening ${http.address().port}`);
});
