// Test server: complains on stderr and exits before initialize.
console.error('starting test server');
console.error('fatal: MY_API_TOKEN is not set');
process.exit(1);
