// The second half of `npm run build`: JSON copies of data/*.yaml in dist/data, which start-up reads
// instead of parsing the YAML (see writeDataCache in src/classify/data-files.ts).
const { writeDataCache } = await import(new URL('../dist/classify/data-files.js', import.meta.url).href);
const skipped = writeDataCache();
if (skipped.length > 0) console.warn(`read as YAML at every start (their values do not survive JSON unchanged): ${skipped.join(', ')}`);
