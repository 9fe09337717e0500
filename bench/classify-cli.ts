// Benchmark: `mcp-risk classify FILE --json` on 50,000 real-shaped tools (the captured tools, renamed
// apart) against a 20-line keyword classifier reading and writing the same JSON, each in a fresh process
// that reports its own wall time and peak RSS. Target (the scale issue): ≤ 3x the keyword classifier,
// peak RSS ≤ 500 MB. A second run does the same on 1,000,000 tools (a 760 MB file, past what one string
// holds, so classify streams it and the keyword classifier reads it with the same tool-by-tool reader):
// peak RSS ≤ 500 MB. Run directly: node --import tsx bench/classify-cli.ts [TOOLS] [--stream]
import { execFileSync } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const RATIO_TARGET = 3;
export const RSS_TARGET = 500e6;

interface Run {
  seconds: number;
  maxRss: number;
}

export interface ClassifyCliResult {
  tools: number;
  streamed: boolean;
  ours: Run;
  keyword: Run;
  ratio: number;
  pass: boolean;
}

const ROOT = fileURLToPath(new URL('../', import.meta.url));

/**
 * The bench file: the captured tools, renamed apart, as `{"tools":[…]}` with no whitespace. Written a
 * block at a time, so a million tools (about 760 MB) never sit in one string.
 */
export function writeManifest(path: string, tools: number): void {
  const pool: unknown[] = [];
  for (const f of readdirSync(join(ROOT, 'test/fixtures/servers'))
    .filter((f) => f.endsWith('.json'))
    .sort())
    pool.push(...(JSON.parse(readFileSync(join(ROOT, 'test/fixtures/servers', f), 'utf8')) as { tools: unknown[] }).tools);
  const fd = openSync(path, 'w');
  try {
    let block = '{"tools":[';
    for (let i = 0; i < tools; i++) {
      const t = pool[i % pool.length] as { name: string };
      block += `${i === 0 ? '' : ','}${JSON.stringify({ ...t, name: `${t.name}_${i}` })}`;
      if (block.length >= 1 << 20) {
        writeSync(fd, block);
        block = '';
      }
    }
    writeSync(fd, `${block}]}`);
  } finally {
    closeSync(fd);
  }
}

/**
 * One fresh process that times itself and prints { seconds, maxRss }: ours is the compiled build, run
 * without any TypeScript loader in its process as a user runs it (classify-cli-child.mjs); the keyword
 * classifier is this file in `child` mode.
 */
function child(mode: 'ours' | 'keyword', file: string, streamed: boolean): Run {
  if (!existsSync(join(ROOT, 'dist/cli.js'))) throw new Error('bench/classify-cli.ts times the compiled build: run npm run build first');
  // Ours streams a file this big without being told (STREAM_ABOVE_BYTES), so it gets no flag.
  const args =
    mode === 'ours'
      ? [join(ROOT, 'bench/classify-cli-child.mjs'), file]
      : ['--import', 'tsx', fileURLToPath(import.meta.url), 'child', file, ...(streamed ? ['--stream'] : [])];
  const out = execFileSync(process.execPath, args, {
    cwd: ROOT,
    maxBuffer: 1 << 20,
    encoding: 'utf8',
  });
  return JSON.parse(out.trim().split('\n').at(-1)!) as Run;
}

/** `streamed`: the keyword classifier reads tool by tool, as ours must past 48 MiB (use it for a file past 512 MiB). */
export function runClassifyCliBenchmark(tools = 50_000, streamed = false): ClassifyCliResult {
  const dir = mkdtempSync(join(tmpdir(), 'mcp-risk-bench-classify-'));
  try {
    const file = join(dir, 'tools.json');
    writeManifest(file, tools);
    const keyword = child('keyword', file, streamed);
    const ours = child('ours', file, streamed);
    const ratio = ours.seconds / keyword.seconds;
    return { tools, streamed, ours, keyword, ratio, pass: (streamed || ratio <= RATIO_TARGET) && ours.maxRss <= RSS_TARGET };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function formatClassifyCli(r: ClassifyCliResult): string {
  const mb = (n: number): string => `${Math.round(n / 1e6)} MB`;
  return (
    `classify --json of ${r.tools.toLocaleString('en-US')} tools${r.streamed ? ' (streamed)' : ''}: ${r.ours.seconds.toFixed(2)} s, peak RSS ${mb(r.ours.maxRss)}; ` +
    `a keyword classifier on the same file${r.streamed ? ' through the same tool-by-tool reader' : ''} ${r.keyword.seconds.toFixed(2)} s, ${mb(r.keyword.maxRss)}: ${r.ratio.toFixed(1)}x ` +
    (r.streamed ? `(target: it works, ≤ ${mb(RSS_TARGET)})` : `(target ≤ ${RATIO_TARGET}x, ≤ ${mb(RSS_TARGET)})`)
  );
}

/** The baseline: a classifier of about twenty lines, by keywords in the name and description. */
function keywordClassify(tools: Iterable<{ name: string; description?: string }>, write: (s: string) => void): void {
  const rules: Array<[RegExp, string]> = [
    [/\b(pay|charge|refund|transfer|invoice)/i, 'Financial'],
    [/\b(delete|remove|drop|purge|destroy|cancel|kill)/i, 'Destructive'],
    [/\b(exec|run|shell|command|eval|script)/i, 'Execute'],
    [/\b(create|update|write|send|post|add|set|edit|move)/i, 'Write'],
    [/\b(get|list|read|search|find|fetch|query|show)/i, 'Read'],
  ];
  write('{"tools":[');
  let i = 0;
  for (const t of tools) {
    const text = `${t.name.replace(/[_-]/g, ' ')} ${t.description ?? ''}`;
    const category = rules.find(([re]) => re.test(text))?.[1] ?? 'Unknown';
    write(`${i++ === 0 ? '' : ','}${JSON.stringify({ name: t.name, category })}`);
  }
  write(']}\n');
}

if (process.argv[2] === 'child') {
  const [, , , file, streamFlag] = process.argv;
  const sink = openSync('/dev/null', 'w');
  const started = process.hrtime.bigint();
  type Tool = { name: string; description?: string };
  let tools: Iterable<Tool>;
  if (streamFlag === '--stream') {
    const { StreamedToolList } = (await import(
      new URL('../dist/ingest/tool-stream.js', import.meta.url).href
    )) as typeof import('../src/ingest/tool-stream.js');
    tools = new StreamedToolList(file!).entries() as Iterable<Tool>;
  } else tools = (JSON.parse(readFileSync(file!, 'utf8')) as { tools: Tool[] }).tools;
  keywordClassify(tools, (s) => void writeSync(sink, s));
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  console.log(JSON.stringify({ seconds, maxRss: process.resourceUsage().maxRSS * 1024 }));
} else if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const r = runClassifyCliBenchmark(Number(process.argv[2] ?? 50_000), process.argv.includes('--stream'));
  console.log(`${formatClassifyCli(r)} ${r.pass ? 'PASS' : 'FAIL'}`);
  if (!r.pass) process.exitCode = 1;
}
