// The measured side of bench/classify-cli.ts for the compiled build: plain JS, so no TypeScript loader
// runs in the process being timed. Prints { seconds, maxRss } as its last line.
import { openSync, writeSync } from 'node:fs';

const [file, ...extra] = process.argv.slice(2);
const sink = openSync('/dev/null', 'w');
const started = process.hrtime.bigint();
const { run } = await import(new URL('../dist/cli.js', import.meta.url).href);
const code = await run(['classify', file, '--json', '--compact', ...extra], {
  out: (s) => void writeSync(sink, s),
  err: (s) => process.stderr.write(s),
  color: false,
  env: {},
  isTTY: false,
});
if (code !== 0) throw new Error(`classify exited ${code}`);
console.log(JSON.stringify({ seconds: Number(process.hrtime.bigint() - started) / 1e9, maxRss: process.resourceUsage().maxRSS * 1024 }));
