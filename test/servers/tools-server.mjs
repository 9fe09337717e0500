// Test server: answers tools/list with raw, possibly malformed pages chosen by argv[2].
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { ListToolsRequestSchema, ListPromptsRequestSchema } from '@modelcontextprotocol/sdk/types.js';

const mode = process.argv[2] ?? 'malformed';
const good = (name) => ({ name, description: `The ${name} tool`, inputSchema: { type: 'object', properties: {} } });

const capabilities = mode === 'no-tools' ? { prompts: {} } : { tools: {}, prompts: {} };
const server = new Server({ name: `tools-server-${mode}`, version: '1.0.0' }, { capabilities, instructions: 'Test server.' });

server.setRequestHandler(ListPromptsRequestSchema, async () => {
  if (mode === 'prompts-fail') throw new Error('prompts are broken');
  return { prompts: [{ name: 'p1' }, { name: 'p2' }] };
});

if (mode !== 'no-tools') {
  server.setRequestHandler(ListToolsRequestSchema, async (request) => {
    const cursor = request.params?.cursor;
    switch (mode) {
      case 'malformed':
        return {
          tools: [
            good('read_file'),
            { description: 'no name at all', inputSchema: { type: 'object' } },
            { name: 'bad_schema', inputSchema: 'not an object' },
            good('write_file'),
            { name: 'long_description', description: 'x'.repeat(20_000), inputSchema: { type: 'object' } },
            good('read_file'),
            42,
          ],
        };
      case 'cursor-loop':
        // Page A points to B, B points back to A: a naive client loops forever.
        if (cursor === undefined) return { tools: [good('a1')], nextCursor: 'A' };
        if (cursor === 'A') return { tools: [good('a2')], nextCursor: 'B' };
        return { tools: [good('b1')], nextCursor: 'A' };
      case 'endless':
        // A fresh cursor every time: only the page limit stops it.
        return { tools: [good(`t${cursor ?? 0}`)], nextCursor: String(Number(cursor ?? 0) + 1) };
      case 'many':
        return { tools: Array.from({ length: 50 }, (_, i) => good(`tool_${i}`)) };
      case 'empty':
        return { tools: [] };
      case 'slow-list':
        await new Promise((resolve) => setTimeout(resolve, 60_000));
        return { tools: [] };
      default:
        return { tools: [good('only')] };
    }
  });
}

await server.connect(new StdioServerTransport());
