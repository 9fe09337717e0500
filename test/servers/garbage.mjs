// Test server: writes nothing but junk to stdout, forever.
process.stdin.resume();
setInterval(() => {
  process.stdout.write('garbage garbage garbage {not json\n'.repeat(50));
}, 5);
