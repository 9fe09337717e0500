// A tool that only previews by default is less dangerous; an optional dry-run flag that defaults off is not.
import { defineRule } from '../rule.js';

const PREVIEW_NAME = new Set(['preview', 'dry', 'dryrun', 'plan', 'simulate']);
const PREVIEW_PARAM = new Set(['dryrun', 'preview', 'previewonly']);

export default defineRule({
  meta: {
    id: 'modifier.dry-run',
    docs: 'Lowers risk one step when the tool previews by default: a preview/plan name, or a dry-run parameter that defaults to true.',
    confidence: 'medium',
    modifier: 'dry-run',
    version: 1,
  },
  check(view, ctx) {
    const lead = view.nameWords[0];
    if (lead !== undefined && PREVIEW_NAME.has(lead)) return ctx.report({ path: 'name', match: lead });
    // The default is checked first: most parameters have none, and joining their words costs an allocation.
    const p = view.params.find((param) => param.defaultValue === true && PREVIEW_PARAM.has(param.words.join('')));
    if (p) ctx.report({ path: p.path, match: `${p.name} = true (default)` });
  },
  cases: {
    fire: [
      {
        tool: { name: 'apply_migration', inputSchema: { type: 'object', properties: { dry_run: { type: 'boolean', default: true } } } },
        report: { path: 'inputSchema.properties.dry_run' },
      },
      { tool: { name: 'preview_deploy' }, report: { path: 'name' } },
    ],
    pass: [{ tool: { name: 'edit_file', inputSchema: { type: 'object', properties: { dryRun: { type: 'boolean', default: false } } } } }],
  },
});
