// `mcp-risk classify FILE` for a JSON tool list too long to hold (or with --stream): the same document,
// byte for byte, made tool by tool. Two passes over the file: the first collects the kept tools' names
// (every tool's siblings, which naming conventions and shadowing checks read), the second validates,
// classifies and renders each tool into a spool file. The spool is then copied out sorted by name and
// hash. Memory holds the names, 32 bytes of hash per tool and the summary counts, never the tools.
import { tmpdir } from 'node:os';
import { classifyTool } from '../classify/index.js';
import type { ClassifyContext } from '../classify/index.js';
import { readClientConfig } from '../ingest/client-config.js';
import { validateEntry, keptName } from '../ingest/lenient.js';
import { configServers, manifestSnapshot, notAToolList } from '../ingest/manifest.js';
import { StreamedToolList } from '../ingest/tool-stream.js';
import { isRecord, McpRiskError, toToolRecord } from '../model/index.js';
import type { Finding } from '../model/index.js';
import { flowRoles, serverOwnFindings, toxicFlowFindingsByRole } from '../poisoning/index.js';
import { findingItem, scanJsonAround, toolItem } from '../output/json.js';
import { SummaryTally } from '../output/summary.js';
import { TextSpool } from '../output/text-spool.js';
import { viewFromSnapshot } from '../output/view.js';
import { GateTally, gateLines } from '../cli/fail-on.js';
import type { Io } from '../cli/io.js';
import type { ReportOutput } from '../cli/report-flags.js';
import { clientConfigGiven } from './classify.js';
import type { ClassifyFlags } from './classify.js';

const HASH_BYTES = 32;

export function classifyStreamed(file: string, flags: ClassifyFlags, report: ReportOutput, io: Io): number {
  const startedAt = new Date();
  const list = new StreamedToolList(file);
  try {
    const { layout } = list;
    // Pass 1: the names of the tools that will be kept, and where in the list each is. It also checks
    // the syntax of every tool, which comes first: reading the file whole parses it before its shape.
    const names: string[] = [];
    const entryIndex = new Uint32Array(list.count);
    let anyNamed = false;
    let index = 0;
    for (const entry of list.entries()) {
      const name = keptName(entry);
      if (name !== undefined) {
        entryIndex[names.length] = index;
        names.push(name);
      }
      anyNamed ||= isRecord(entry) && typeof entry.name === 'string';
      index++;
    }
    // Then what loadManifest checks, in its order: a client config (its entries first), then the tools.
    const config = layout.form === 'array' ? undefined : readClientConfig(layout.document);
    if (config !== undefined) {
      configServers(config, file);
      throw clientConfigGiven(file);
    }
    if (layout.form === 'not-array') throw notAToolList(file, '"tools" is not an array');
    if (layout.form === 'none') throw notAToolList(file, 'no "tools" array or "mcpServers" map found');
    // A bare array is a tool list if it is empty or holds at least one thing shaped like a tool.
    if (layout.form === 'array' && list.count > 0 && !anyNamed) throw notAToolList(file, 'the array holds no tools');
    const serverFindings: Finding[] = [];
    const snapshot = manifestSnapshot(file, layout.meta, [], { listed: list.count, kept: names.length }, serverFindings, startedAt);
    const context: ClassifyContext = { serverName: snapshot.name, siblingNames: names };

    // Under the TMPDIR of the command's environment, as os.tmpdir() would pick it from process.env.
    const spool = new TextSpool(io.env['TMPDIR'] || tmpdir());
    try {
      return classifyPass(list, spool, { file, names, entryIndex, context, serverFindings, snapshot, flags, report, io, startedAt });
    } finally {
      spool.dispose();
    }
  } finally {
    list.close();
  }
}

interface PassInput {
  file: string;
  names: string[];
  /** The list index of each kept tool (the first names.length slots). */
  entryIndex: Uint32Array;
  context: ClassifyContext;
  serverFindings: Finding[];
  snapshot: ReturnType<typeof manifestSnapshot>;
  flags: ClassifyFlags;
  report: ReportOutput;
  io: Io;
  startedAt: Date;
}

/** Pass 2, then the document: head, tools sorted, findings in the order found, and the gate. */
function classifyPass(list: StreamedToolList, spool: TextSpool, input: PassInput): number {
  const { names, entryIndex, context, serverFindings, snapshot, flags, report, io } = input;
  const compact = io.compactJson === true;
  const tally = new SummaryTally();
  const gate = new GateTally(flags);
  // Per kept tool, in list order: fixed-width arrays, so a million tools cost a few bytes each beyond their names.
  const roles = new Uint8Array(names.length);
  const hashes = Buffer.alloc(names.length * HASH_BYTES);
  const toolPieces = new Uint32Array(names.length);
  const findingPieces: number[] = [];
  // Sorted by name now (stable, so a name's first tool leads its group), the list says which tools
  // repeat an earlier name without a map of every name; ties are put in hash order once hashes are known.
  const order = Uint32Array.from({ length: names.length }, (_, i) => i).sort((a, b) => compareText(names[a]!, names[b]!) || a - b);
  const firstOfName = new Uint32Array(names.length);
  for (let k = 0; k < order.length; k++) {
    const i = order[k]!;
    firstOfName[i] = k > 0 && names[order[k - 1]!] === names[i] ? firstOfName[order[k - 1]!]! : entryIndex[i]!;
  }
  const found: Finding[] = [];
  let kept = 0;
  let index = 0;
  const seenAt = (_name: string, at: number): number | undefined => (kept >= names.length || firstOfName[kept] === at ? undefined : firstOfName[kept]);
  for (const entry of list.entries()) {
    const definition = validateEntry(entry, index++, seenAt, found);
    for (const finding of found) findingPieces.push(spool.add(findingItem(finding, compact)));
    found.length = 0;
    if (definition === undefined) continue;
    if (definition.name !== names[kept]) throw changed(input.file);
    const record = toToolRecord(definition);
    const classification = classifyTool(record, context);
    const tool = { definition, hash: record.hash, classification };
    toolPieces[kept] = spool.add(toolItem(tool, compact));
    hashes.write(record.hash, kept * HASH_BYTES, 'hex');
    tally.add(tool);
    gate.add(definition.name, classification);
    roles[kept] = flowRoles(classification);
    kept++;
  }
  if (kept !== names.length) throw changed(input.file);
  serverFindings.push(...serverOwnFindings(snapshot), ...toxicFlowFindingsByRole(names, roles));
  snapshot.durationMs = Date.now() - input.startedAt.getTime();

  sortTiesByHash(order, names, hashes);
  const view = viewFromSnapshot(snapshot, []);
  const summary = tally.summary(findingPieces.length + serverFindings.length);
  const findings = (function* () {
    yield* spool.read(findingPieces);
    for (const f of serverFindings) yield findingItem(f, compact);
  })();
  report.printAll(scanJsonAround(view, summary, spool.read(order.map((i) => toolPieces[i]!)), findings, compact));
  report.finish();
  return gateLines([{ server: snapshot.name, tally: gate, findings: serverFindings }], flags, io.err);
}

/**
 * Name, then hash, in code-unit order (byNameThenHash): `order` is already by name, so only each run of
 * one name is sorted, by hash; identical tools keep list order (a kept tool's number grows with its index).
 */
function sortTiesByHash(order: Uint32Array, names: readonly string[], hashes: Buffer): void {
  const byHash = (a: number, b: number): number => hashes.compare(hashes, b * HASH_BYTES, (b + 1) * HASH_BYTES, a * HASH_BYTES, (a + 1) * HASH_BYTES) || a - b;
  for (let start = 0; start < order.length;) {
    let end = start + 1;
    while (end < order.length && names[order[end]!] === names[order[start]!]) end++;
    if (end - start > 1) order.subarray(start, end).sort(byHash);
    start = end;
  }
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function changed(file: string): McpRiskError {
  return new McpRiskError('INPUT_INVALID', `${file}: changed while it was read (the two passes over it saw different tools)`);
}
