// A tool with an `overwrite` flag can replace what is there: a mega-tool takes its most dangerous action,
// as a delete with a permanent option is Destructive (taxonomy: what another call cannot restore). A
// flag that defaults to true loses it on an ordinary call; one that defaults to false on a call that asks.
import { defineRule } from '../rule.js';

/** The parameter's words joined: `overwrite`, `overwrite_existing`, `replaceExisting`, `clobber`. */
const OVERWRITE_FLAGS = new Set(['overwrite', 'overwriteexisting', 'overwriteifexists', 'allowoverwrite', 'forceoverwrite', 'replaceexisting', 'clobber']);
/** A name that may be one of them: what is tested before anything else. */
const CANDIDATE = /verwrite|eplace|lobber/i;
/** "Default: true", "defaults to true", "default is true": the first default the text gives. */
const DEFAULT_TRUE = /\bdefault(?:s to|:| is)\s*true\b/i;

export default defineRule({
  meta: {
    id: 'param.overwrite-flag',
    docs: 'An overwrite flag: the tool can replace what is already there, on every call when the flag defaults to true.',
    confidence: 'medium',
    category: 'Destructive',
    version: 2,
  },
  check(view, ctx) {
    // The name's spelling is checked first (cheap, and almost never met), then the joined words; the
    // default, in the schema or said in the parameter's text ("Default: true"), only says how often.
    const p = view.params.find((param) => CANDIDATE.test(param.name) && param.type !== 'string' && OVERWRITE_FLAGS.has(param.words.join('')));
    if (p === undefined) return;
    const always = p.defaultValue === true || (p.defaultValue === undefined && DEFAULT_TRUE.test(p.description));
    ctx.report({ path: p.path, match: always ? `${p.name} = true (default)` : p.name });
  },
  cases: {
    fire: [
      {
        tool: { name: 'upload_asset', inputSchema: { type: 'object', properties: { overwrite: { type: 'boolean', default: true } } } },
        report: { path: 'inputSchema.properties.overwrite' },
      },
      {
        tool: { name: 'save_file', inputSchema: { type: 'object', properties: { replaceExisting: { type: 'boolean', default: true } } } },
        report: { path: 'inputSchema.properties.replaceExisting' },
      },
      {
        tool: {
          name: 'upload_asset',
          inputSchema: {
            type: 'object',
            properties: { overwrite: { type: 'boolean', description: 'Whether to overwrite an asset with the same id. Default: true.' } },
          },
        },
        report: { path: 'inputSchema.properties.overwrite' },
      },
      {
        tool: { name: 'copy_file', inputSchema: { type: 'object', properties: { overwrite: { type: 'boolean', default: false } } } },
        report: { path: 'inputSchema.properties.overwrite' },
        note: 'asked for, it replaces an existing destination',
      },
      {
        tool: {
          name: 'rename_asset',
          inputSchema: {
            type: 'object',
            properties: { overwrite: { type: 'boolean', description: 'Whether to overwrite the target if it exists. Default is false.' } },
          },
        },
        report: { path: 'inputSchema.properties.overwrite' },
      },
    ],
    pass: [
      { tool: { name: 'set_config', inputSchema: { type: 'object', properties: { enabled: { type: 'boolean', default: true } } } } },
      { tool: { name: 'save_note', inputSchema: { type: 'object', properties: { overwrite_policy: { type: 'string', enum: ['never', 'ask'] } } } } },
      { tool: { name: 'upload_asset', inputSchema: { type: 'object', properties: { mode: { type: 'string', description: 'create or overwrite' } } } } },
    ],
  },
});
