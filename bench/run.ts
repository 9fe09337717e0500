// npm run bench: every benchmark in bench/, with figures printed and a non-zero exit when a target is missed.
import { runClassifyBenchmark } from './classify-throughput.js';
import { formatPoisoningOverhead, runPoisoningOverheadBenchmark } from './poisoning-overhead.js';
import { formatScanOverhead, runScanOverheadBenchmark } from './scan-overhead.js';
import { formatLlmBenchmark, runLlmBenchmark } from './llm-batching.js';
import { formatRefreshReal, runRefreshRealBenchmark } from './refresh-real.js';
import { formatRefreshSynthetic, runRefreshSyntheticBenchmark } from './refresh-synthetic.js';
import { formatSite, runSiteBenchmark } from './site.js';
import { formatStoreSize, runStoreSizeBenchmark } from './store-size.js';
import { formatShowLookup, runShowLookupBenchmark } from './show-lookup.js';
import { formatClassifyCli, runClassifyCliBenchmark } from './classify-cli.js';

let failed = false;

const classify = runClassifyBenchmark();
console.log(
  `classify throughput: ${classify.tools} tools in ${classify.seconds.toFixed(3)} s = ` +
    `${Math.round(classify.toolsPerSecond).toLocaleString('en-US')} tools/s (${classify.microsPerTool.toFixed(1)} µs/tool; ` +
    `target ≥ ${classify.target.toLocaleString('en-US')} tools/s on one core) ${classify.pass ? 'PASS' : 'FAIL'}`,
);
failed ||= !classify.pass;

const poisoning = runPoisoningOverheadBenchmark();
console.log(`${formatPoisoningOverhead(poisoning)} ${poisoning.pass ? 'PASS' : 'FAIL'}`);
failed ||= !poisoning.pass;

const overhead = await runScanOverheadBenchmark();
console.log(`${formatScanOverhead(overhead)} ${overhead.overheadRatio < 0.1 ? 'PASS' : 'FAIL'}`);
failed ||= overhead.overheadRatio >= 0.1;

const llm = await runLlmBenchmark();
console.log(`${formatLlmBenchmark(llm)} ${llm.pass ? 'PASS' : 'FAIL'}`);
failed ||= !llm.pass;

const refreshReal = await runRefreshRealBenchmark();
console.log(`${formatRefreshReal(refreshReal)} ${refreshReal.pass ? 'PASS' : 'FAIL'}`);
failed ||= !refreshReal.pass;

const refreshSynthetic = await runRefreshSyntheticBenchmark();
console.log(`${formatRefreshSynthetic(refreshSynthetic)} ${refreshSynthetic.pass ? 'PASS' : 'FAIL'}`);
failed ||= !refreshSynthetic.pass;

const storeSize = await runStoreSizeBenchmark();
console.log(`${formatStoreSize(storeSize)} ${storeSize.pass ? 'PASS' : 'FAIL'}`);
failed ||= !storeSize.pass;

const showLookup = await runShowLookupBenchmark();
console.log(`${formatShowLookup(showLookup)} ${showLookup.pass ? 'PASS' : 'FAIL'}`);
failed ||= !showLookup.pass;

const classifyCli = runClassifyCliBenchmark();
console.log(`${formatClassifyCli(classifyCli)} ${classifyCli.pass ? 'PASS' : 'FAIL'}`);
failed ||= !classifyCli.pass;

const classifyMillion = runClassifyCliBenchmark(1_000_000, true);
console.log(`${formatClassifyCli(classifyMillion)} ${classifyMillion.pass ? 'PASS' : 'FAIL'}`);
failed ||= !classifyMillion.pass;

const site = await runSiteBenchmark();
console.log(`${formatSite(site)} ${site.pass ? 'PASS' : 'FAIL'}`);
failed ||= !site.pass;

process.exitCode = failed ? 1 : 0;
