// Test server: says it is leaving with one message on stdout and exits with code 3 at once, so
// writes to it fail (EPIPE, or a closed stream) around the time its exit is seen.
process.stdout.write(`${JSON.stringify({ jsonrpc: '2.0', method: 'notifications/leaving' })}\n`, () => process.exit(3));
