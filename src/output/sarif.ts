// Renders scans as one SARIF 2.1.0 run, for GitHub code scanning and other SARIF viewers.
//
// Rules: one per category (`category/Destructive`, worded from data/taxonomy.yaml), one per finding code
// (`poisoning.hidden`, worded from FINDING_CODES), and `scan/not-listed` for a server that could not be
// scanned, so a failed scan never reads as a clean one. Every rule is always listed, whether or not it
// has results, so rule indices stay put from run to run.
//
// Results:
// - a tool whose verdict is anything but Read/Low (Write, Execute, Destructive, Financial, Unknown): level
//   error for Critical and High, warning for Medium and Unknown (not judged, so never a mere note), note for Low;
// - every finding, scan-level and per tool: level error, warning or note from its severity;
// - a server whose scan did not list tools: error.
// Locations: the manifest or client-config file the server was read from, when there is one (relative
// to the current directory when under it, with uriBaseId %SRCROOT%; a file:// URI otherwise), and always
// the tool as a logical location `server/tool` (the server alone for scan-level results).
// partialFingerprints: the server name and the tool's definition hash, plus for a finding its code, path
// and matching rule (and an occurrence number when even those repeat), so a result keeps its identity
// across runs until the definition itself changes.
import { isAbsolute, relative, resolve, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Location, Log, ReportingDescriptor, Result } from 'sarif';
import { loadTaxonomy } from '../classify/taxonomy.js';
import { CATEGORY_ORDER, FINDING_CODES, isListed } from '../model/index.js';
import type { Category, Finding, FindingCode, Risk, Severity } from '../model/index.js';
import { renderFinding } from './findings.js';
import { jsonText, oneLine } from './safe-text.js';
import { byNameThenHash, categoryOf, riskOf, riskWithScore } from './summary.js';
import type { ScanView, ToolView } from './view.js';

export const SARIF_VERSION = '2.1.0';
export const SARIF_SCHEMA_URI = 'https://json.schemastore.org/sarif-2.1.0.json';
export const MCP_RISK_URI = 'https://www.npmjs.com/package/mcp-risk';
export const NOT_LISTED_RULE = 'scan/not-listed';

export interface SarifScan {
  view: ScanView;
  /** The manifest or client-config file this server was read from, as the user gave it. */
  file?: string;
}

export interface SarifOptions {
  /** mcp-risk's version, for tool.driver. */
  version: string;
  /** The directory file locations are made relative to (the current directory). */
  cwd: string;
}

const NAME_MAX = 120;
const MESSAGE_MAX = 1000;

const RISK_LEVEL: Record<Risk, Result.level> = { Critical: 'error', High: 'error', Medium: 'warning', Unknown: 'warning', Low: 'note' };
const SEVERITY_LEVEL: Record<Severity, Result.level> = { error: 'error', warning: 'warning', info: 'note' };
// GitHub ranks security alerts by this number (9+ critical, 7+ high, 4+ medium, below that low).
const RISK_SECURITY_SEVERITY: Record<Risk, string> = { Critical: '9.0', High: '7.0', Medium: '4.0', Unknown: '5.0', Low: '1.0' };
const SEVERITY_SECURITY_SEVERITY: Record<Severity, string> = { error: '8.0', warning: '5.0', info: '2.0' };
/** Finding families about what a server may do to the agent or to us; the rest are about data quality. */
const SECURITY_FAMILIES = new Set(['poisoning', 'untrusted', 'history']);

export function toSarif(scans: readonly SarifScan[], options: SarifOptions): Log {
  const rules = sarifRules();
  const index = new Map(rules.map((r, i) => [r.id, i] as const));
  const results: Result[] = [];
  // Two findings of one code in one field (two phrasings of the same order) still need two identities.
  const seen = new Map<string, number>();
  const distinct = (fingerprints: Record<string, string>): Record<string, string> => {
    const key = JSON.stringify(fingerprints);
    const n = (seen.get(key) ?? 0) + 1;
    seen.set(key, n);
    return n === 1 ? fingerprints : { ...fingerprints, 'mcpRiskOccurrence/v1': String(n) };
  };
  const result = (ruleId: string, level: Result.level, text: string, location: Location, fingerprints: Record<string, string>, properties?: object): void => {
    results.push({
      ruleId,
      ruleIndex: index.get(ruleId) ?? -1,
      level,
      message: { text },
      locations: [location],
      partialFingerprints: distinct(fingerprints),
      ...(properties === undefined ? {} : { properties }),
    });
  };
  for (const { view, file } of scans) {
    const server = view.server.name;
    const artifact = file === undefined ? undefined : artifactLocation(file, options.cwd);
    const at = (tool: string | undefined): Location => location(server, tool, artifact);
    if (!isListed(view.scan.status)) {
      const error = oneLine(view.scan.error ?? 'no error message was given', MESSAGE_MAX);
      result(NOT_LISTED_RULE, 'error', `${name(server)} could not be scanned (${view.scan.status}): ${error} Its risk is Unknown.`, at(undefined), {
        'mcpRiskServer/v1': server,
        'mcpRiskRule/v1': NOT_LISTED_RULE,
      });
    }
    const byName = new Map(view.tools.map((t) => [t.definition.name, t] as const));
    for (const t of [...view.tools].sort(byNameThenHash)) {
      const tool = t.definition.name;
      const fingerprint = { 'mcpRiskServer/v1': server, 'mcpRiskToolHash/v1': t.hash };
      if (reported(t)) {
        const category = categoryOf(t);
        result(categoryRule(category), RISK_LEVEL[riskOf(t)] ?? 'warning', toolMessage(server, t), at(tool), fingerprint, {
          category,
          risk: riskOf(t),
          score: t.classification?.score ?? null,
          capabilities: t.classification ? [...t.classification.capabilities] : [],
        });
      }
      for (const f of t.classification?.findings ?? []) findingResult(f, at(tool), { ...fingerprint, ...findingFingerprint(f) });
    }
    for (const f of view.findings) {
      // A scan-level finding may still be about one tool (cross-server findings, truncated fields).
      const tool = f.tool === undefined ? undefined : byName.get(f.tool);
      const fingerprint: Record<string, string> = { 'mcpRiskServer/v1': server, ...(tool === undefined ? {} : { 'mcpRiskToolHash/v1': tool.hash }) };
      findingResult(f, at(f.tool), { ...fingerprint, ...findingFingerprint(f) });
    }
  }

  function findingResult(f: Finding, where: Location, fingerprints: Record<string, string>): void {
    // A code from another version of mcp-risk (read back from a database) has no rule of ours: it is still reported.
    const known = Object.prototype.hasOwnProperty.call(FINDING_CODES, f.code);
    result(known ? f.code : 'finding/other', SEVERITY_LEVEL[f.severity] ?? 'warning', oneLine(renderFinding(f), MESSAGE_MAX), where, fingerprints);
  }

  const listedAll = scans.every((s) => isListed(s.view.scan.status));
  return {
    $schema: SARIF_SCHEMA_URI,
    version: SARIF_VERSION,
    runs: [
      {
        tool: {
          driver: {
            name: 'mcp-risk',
            version: options.version,
            semanticVersion: options.version,
            informationUri: MCP_RISK_URI,
            rules,
          },
        },
        invocations: [
          {
            executionSuccessful: listedAll,
            ...(listedAll
              ? {}
              : {
                  toolExecutionNotifications: scans
                    .filter((s) => !isListed(s.view.scan.status))
                    .map((s) => ({
                      level: 'error' as const,
                      message: { text: `${name(s.view.server.name)}: ${s.view.scan.status}: ${oneLine(s.view.scan.error ?? 'no detail', MESSAGE_MAX)}` },
                    })),
                }),
          },
        ],
        results,
      },
    ],
  };
}

/** The SARIF log as pretty JSON, hidden characters escaped, with a trailing newline. */
export function renderSarif(scans: readonly SarifScan[], options: SarifOptions, compact = false): string {
  return jsonText(toSarif(scans, options), compact);
}

/** Read/Low is the one verdict that is not a result: a tool that only reads is what a reviewer hopes for. */
function reported(t: ToolView): boolean {
  return !(categoryOf(t) === 'Read' && riskOf(t) === 'Low');
}

function categoryRule(category: Category): string {
  return `category/${(CATEGORY_ORDER as readonly string[]).includes(category) ? category : 'Unknown'}`;
}

function toolMessage(server: string, t: ToolView): string {
  const c = t.classification;
  const rationale = c === undefined ? 'Not classified: nothing judged this tool, so it is not safe.' : oneLine(c.rationale, MESSAGE_MAX);
  const review = t.classification?.findings.some((f) => f.code === 'llm.disagreement') ? ' Needs review: the rules and the LLM disagree.' : '';
  return `${name(t.definition.name)} on server ${name(server)} is ${categoryOf(t)}, ${riskWithScore(t)} risk. ${rationale}${review}`;
}

function name(text: string): string {
  return `"${oneLine(text, NAME_MAX, { hidden: 'drop' })}"`;
}

/** The code, where it was found, and which rule of the code's family matched (poisoning text rules have ids). */
function findingFingerprint(f: Finding): Record<string, string> {
  const rule = typeof (f.args as { rule?: unknown }).rule === 'string' ? `:${(f.args as { rule: string }).rule}` : '';
  return { 'mcpRiskFinding/v1': `${f.code}${f.path === undefined ? '' : `@${f.path}`}${rule}` };
}

function location(server: string, tool: string | undefined, artifact: { uri: string; uriBaseId?: string } | undefined): Location {
  const logical =
    tool === undefined
      ? { name: server, fullyQualifiedName: server, kind: 'module' }
      : { name: tool, fullyQualifiedName: `${server}/${tool}`, kind: 'function' };
  return { ...(artifact === undefined ? {} : { physicalLocation: { artifactLocation: artifact } }), logicalLocations: [logical] };
}

/** Relative to `cwd` when the file is under it (what GitHub resolves against the checkout), else a file:// URI. */
export function artifactLocation(file: string, cwd: string): { uri: string; uriBaseId?: string } {
  const absolute = resolve(cwd, file);
  const rel = relative(cwd, absolute);
  if (rel !== '' && !rel.startsWith('..') && !isAbsolute(rel)) {
    return { uri: rel.split(sep).map(encodeURIComponent).join('/'), uriBaseId: '%SRCROOT%' };
  }
  return { uri: pathToFileURL(absolute).href };
}

/** Every rule, in a fixed order: categories, then finding codes, then the scan and fallback rules. */
export function sarifRules(): ReportingDescriptor[] {
  const taxonomy = loadTaxonomy();
  const categories = CATEGORY_ORDER.map((category): ReportingDescriptor => {
    const def = category === 'Unknown' ? undefined : taxonomy.categories.get(category);
    const risk: Risk = def?.defaultRisk ?? 'Unknown';
    const means = def?.means ?? taxonomy.unknownMeans;
    const examples = def === undefined ? '' : ` Examples: ${def.examples.join('; ')}.`;
    return {
      id: categoryRule(category),
      name: `${category}Tool`,
      shortDescription: { text: `${category} tool: ${means}` },
      fullDescription: { text: def?.description ?? taxonomy.unknownMeans },
      help: { text: `${means}${def === undefined ? '' : ` ${def.description}`}${examples} Default risk: ${risk}.` },
      defaultConfiguration: { level: RISK_LEVEL[risk] },
      properties: { tags: ['security', 'mcp', 'tool-category'], 'security-severity': RISK_SECURITY_SEVERITY[risk] },
    };
  });
  const findings = (Object.keys(FINDING_CODES) as FindingCode[]).map((code): ReportingDescriptor => {
    const { severity, about } = FINDING_CODES[code];
    const family = code.slice(0, code.indexOf('.'));
    const security = SECURITY_FAMILIES.has(family);
    return {
      id: code,
      name: code.replace(/(^|[.-])([a-z])/g, (_, _sep: string, c: string) => c.toUpperCase()),
      shortDescription: { text: about },
      fullDescription: { text: about },
      help: { text: `${about} Reported as ${severity} by default.` },
      defaultConfiguration: { level: SEVERITY_LEVEL[severity] },
      properties: security ? { tags: ['security', 'mcp', family], 'security-severity': SEVERITY_SECURITY_SEVERITY[severity] } : { tags: ['mcp', family] },
    };
  });
  const notListed: ReportingDescriptor = {
    id: NOT_LISTED_RULE,
    name: 'ServerNotListed',
    shortDescription: { text: 'The server could not be scanned: it failed, timed out or needs authentication.' },
    fullDescription: { text: 'The scan did not list tools, so nothing about the server was judged. Its risk is Unknown, never "no risky tools".' },
    help: { text: 'Check the error, pass what the server needs (--env, --header, a longer --connect-timeout) and scan it again.' },
    defaultConfiguration: { level: 'error' },
    properties: { tags: ['security', 'mcp', 'scan'], 'security-severity': RISK_SECURITY_SEVERITY.Unknown },
  };
  const other: ReportingDescriptor = {
    id: 'finding/other',
    name: 'OtherFinding',
    shortDescription: { text: 'A finding this version of mcp-risk does not know (stored by another version).' },
    help: { text: 'Read the message; upgrade mcp-risk to get its rule.' },
    defaultConfiguration: { level: 'warning' },
    properties: { tags: ['mcp'] },
  };
  return [...categories, ...findings, notListed, other];
}
