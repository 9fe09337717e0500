// Test server: starts, reads stdin, and never answers anything.
process.stdin.resume();
setInterval(() => undefined, 60_000);
