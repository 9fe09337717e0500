// The build's JSON copies of data/*.yaml: read only when made from the very text on disk.
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { DATA_FILES, parseDataText, writeDataCache } from '../../src/classify/data-files.js';

const dir = mkdtempSync(join(tmpdir(), 'mcp-risk-data-cache-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const dataText = (file: string): string => readFileSync(new URL(`../../data/${file}`, import.meta.url), 'utf8');

describe('data file copies', () => {
  it('lists every data file the package ships, and copies each to the same value', () => {
    const shipped = readdirSync(new URL('../../data/', import.meta.url)).filter((f) => f.endsWith('.yaml'));
    expect([...DATA_FILES].sort()).toEqual(shipped.sort());
    expect(writeDataCache(dir)).toEqual([]);
    for (const file of DATA_FILES) expect(parseDataText(dataText(file), join(dir, `${file}.json`))).toEqual(parse(dataText(file)));
  });

  it('reads the copy of this text, and the YAML once the text differs from what the copy was made from', () => {
    const copy = join(dir, 'edited.yaml.json');
    writeDataCache(dir);
    const made = JSON.parse(readFileSync(join(dir, 'rules.yaml.json'), 'utf8')) as { source: string };
    // A copy that says something else proves which one was read.
    writeFileSync(copy, JSON.stringify({ source: made.source, value: { from: 'copy' } }));
    expect(parseDataText(dataText('rules.yaml'), copy)).toEqual({ from: 'copy' });
    expect(parseDataText(`${dataText('rules.yaml')}\n# edited\n`, copy)).toEqual(parse(dataText('rules.yaml')));
    expect(parseDataText('a: 1\n', join(dir, 'missing.json'))).toEqual({ a: 1 });
    // A copy of this text that holds no value is no copy.
    writeFileSync(copy, JSON.stringify({ source: made.source }));
    expect(parseDataText(dataText('rules.yaml'), copy)).toEqual(parse(dataText('rules.yaml')));
    writeFileSync(copy, '{not json');
    expect(parseDataText('a: 2\n', copy)).toEqual({ a: 2 });
  });
});
