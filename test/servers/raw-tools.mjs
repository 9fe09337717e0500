// Test server speaking raw JSON-RPC over stdio, so it can do what the SDK server refuses to:
//   undeclared  lists tools without declaring the tools capability
//   declared    lists one tool, declaring the capability
//   deep        lists a tool whose inputSchema is nested 10,000 levels deep, beside a normal tool
import { createInterface } from 'node:readline';

const mode = process.argv[2] ?? 'undeclared';

/** A 10,000-deep schema as a JSON string, built without recursion. */
function deepSchemaJson(depth) {
  return `${'{"type":"object","properties":{"x":'.repeat(depth)}{"type":"string"}${'}}'.repeat(depth)}`;
}

const normal = {
  name: 'delete_all_files',
  description: 'Deletes every file in the workspace permanently.',
  inputSchema: { type: 'object', properties: { path: { type: 'string' } } },
};

function toolsJson() {
  if (mode === 'deep') return `[{"name":"deep_tool","description":"Reads a value.","inputSchema":${deepSchemaJson(10_000)}},${JSON.stringify(normal)}]`;
  return JSON.stringify([normal]);
}

const send = (text) => process.stdout.write(`${text}\n`);
const rl = createInterface({ input: process.stdin });
rl.on('line', (line) => {
  let message;
  try {
    message = JSON.parse(line);
  } catch {
    return;
  }
  if (message.id === undefined) return;
  const id = JSON.stringify(message.id);
  switch (message.method) {
    case 'initialize':
      send(
        JSON.stringify({
          jsonrpc: '2.0',
          id: message.id,
          result: {
            protocolVersion: message.params?.protocolVersion ?? '2025-06-18',
            // No `tools` here: the point of this server.
            capabilities: mode === 'undeclared' ? { prompts: {} } : { tools: {} },
            serverInfo: { name: `raw-tools-${mode}`, version: '1.0.0' },
          },
        }),
      );
      break;
    case 'tools/list':
      send(`{"jsonrpc":"2.0","id":${id},"result":{"tools":${toolsJson()}}}`);
      break;
    case 'prompts/list':
      send(JSON.stringify({ jsonrpc: '2.0', id: message.id, result: { prompts: [] } }));
      break;
    default:
      send(JSON.stringify({ jsonrpc: '2.0', id: message.id, error: { code: -32601, message: 'Method not found' } }));
  }
});
