// Names and sources derived from targets, and the scrubbed environment.
import { afterEach, describe, expect, it } from 'vitest';
import { deriveServerName, scrubbedEnv, sourceOf } from '../../src/ingest/index.js';
import { serverNameFor } from '../../src/ingest/server-name.js';

describe('deriveServerName', () => {
  const stdio = (command: string, ...args: string[]) => deriveServerName({ kind: 'stdio', command, args });
  it('names a server after its package, script or host', () => {
    expect(stdio('npx', '-y', '@runpod/mcp-server@1.2.0')).toBe('@runpod/mcp-server');
    expect(stdio('uvx', 'mcp-server-git')).toBe('mcp-server-git');
    expect(stdio('node', '/x/node_modules/@modelcontextprotocol/server-everything/dist/index.js', 'stdio')).toBe('@modelcontextprotocol/server-everything');
    expect(stdio('node', '/home/me/weather-mcp/build/index.js')).toBe('weather-mcp');
    expect(stdio('/usr/local/bin/github-mcp-server', 'stdio')).toBe('github-mcp-server');
    expect(deriveServerName({ kind: 'http', url: 'https://mcp.example.com:8443/mcp' })).toBe('mcp.example.com:8443/mcp');
  });
});

describe('serverNameFor', () => {
  it('gives one package one name however it is started, and keeps credentials and queries out of a name', () => {
    const installed = '/cache/npm/@modelcontextprotocol/server-memory@2026.8.31/node_modules/@modelcontextprotocol/server-memory/dist/index.js';
    expect(serverNameFor({ kind: 'npm', package: '@modelcontextprotocol/server-memory' }, [])).toBe('@modelcontextprotocol/server-memory');
    expect(serverNameFor({ kind: 'stdio', command: 'node' }, [installed])).toBe('@modelcontextprotocol/server-memory');
    expect(serverNameFor({ kind: 'stdio', command: 'npx' }, ['-y', '@modelcontextprotocol/server-memory@latest'])).toBe('@modelcontextprotocol/server-memory');
    expect(serverNameFor({ kind: 'http', url: 'https://user:s3cret@api.example.com/v1/mcp/?token=abc' }, [])).toBe('api.example.com/v1/mcp');
    expect(serverNameFor({ kind: 'manifest', path: '/x/tools/github.json' }, [])).toBe('github');
  });
});

describe('sourceOf', () => {
  it('records the command line but not env or header values', () => {
    expect(sourceOf({ kind: 'stdio', command: 'node', args: ['server.js', 'a b'], env: { TOKEN: 'secret' } })).toEqual({
      kind: 'stdio',
      target: "node server.js 'a b'",
    });
    expect(sourceOf({ kind: 'http', url: 'https://h/mcp', headers: { Authorization: 'secret' } })).toEqual({ kind: 'http', target: 'https://h/mcp' });
  });
});

describe('scrubbedEnv', () => {
  const saved = { ...process.env };
  afterEach(() => {
    process.env = { ...saved };
  });
  it('keeps the safe base and the user variables only', () => {
    process.env.OPENAI_API_KEY = 'sk-test-secret';
    process.env.HOME = '/home/test';
    process.env.BASH_FUNC_x = '() { evil; }';
    const env = scrubbedEnv({ GITHUB_TOKEN: 'given' });
    expect(env.OPENAI_API_KEY).toBeUndefined();
    expect(env.BASH_FUNC_x).toBeUndefined();
    expect(env.HOME).toBe('/home/test');
    expect(env.GITHUB_TOKEN).toBe('given');
  });
  it('lets the user override a base variable', () => {
    expect(scrubbedEnv({ PATH: '/only/here' }).PATH).toBe('/only/here');
  });
});
