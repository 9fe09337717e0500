// A tool that only previews by default is less dangerous; an optional dry-run flag that defaults off is not.
import type { Rule } from '../rule.js';

const PREVIEW_NAME = new Set(['preview', 'dry', 'dryrun', 'plan', 'simulate']);

export const dryRunRule: Rule = {
  meta: {
    id: 'modifier.dry-run',
    docs: 'Lowers risk one step when the tool previews by default: a preview/plan name, or a dry-run parameter that defaults to true.',
    impact: 'low',
    confidence: 'medium',
    modifier: 'dry-run',
    source: 'src/classify/rules/dry-run.ts',
  },
  check(view, out) {
    const lead = view.nameWords[0];
    if (lead !== undefined && PREVIEW_NAME.has(lead)) {
      out.push({ rule: 'modifier.dry-run', path: 'name', match: lead, modifier: { id: 'dry-run', delta: -1 } });
      return;
    }
    for (const p of view.params) {
      const joined = p.words.join('');
      if ((joined === 'dryrun' || joined === 'preview' || joined === 'previewonly') && p.defaultValue === true) {
        out.push({ rule: 'modifier.dry-run', path: p.path, match: `${p.name} = true (default)`, modifier: { id: 'dry-run', delta: -1 } });
        return;
      }
    }
  },
  cases: {
    fire: [
      { tool: { name: 'apply_migration', inputSchema: { type: 'object', properties: { dry_run: { type: 'boolean', default: true } } } } },
      { tool: { name: 'preview_deploy' } },
    ],
    pass: [{ tool: { name: 'edit_file', inputSchema: { type: 'object', properties: { dryRun: { type: 'boolean', default: false } } } } }],
  },
};
