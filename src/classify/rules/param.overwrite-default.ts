// A tool that overwrites unless told not to: an `overwrite` flag that defaults to true loses what was
// there on an ordinary call (taxonomy: Destructive is what another call cannot restore).
import { defineRule } from '../rule.js';

/** The parameter's words joined: `overwrite`, `overwrite_existing`, `replaceExisting`, `clobber`. */
const OVERWRITE_FLAGS = new Set(['overwrite', 'overwriteexisting', 'overwriteifexists', 'allowoverwrite', 'forceoverwrite', 'replaceexisting', 'clobber']);
/** A name that may be one of them: what is tested before anything else. */
const CANDIDATE = /verwrite|eplace|lobber/i;
/** "Default: true", "defaults to true", "default is true": the first default the text gives. */
const DEFAULT_TRUE = /\bdefault(?:s to|:| is)\s*true\b/i;

export default defineRule({
  meta: {
    id: 'param.overwrite-default',
    docs: 'An overwrite flag that defaults to true: a call that leaves it alone replaces what is already there.',
    confidence: 'medium',
    category: 'Destructive',
    version: 1,
  },
  check(view, ctx) {
    // The name's spelling is checked first (cheap, and almost never met), then the default, in the
    // schema or said in the parameter's text ("Default: true"), and only then the joined words.
    const p = view.params.find(
      (param) =>
        CANDIDATE.test(param.name) &&
        (param.defaultValue === true || (param.defaultValue === undefined && DEFAULT_TRUE.test(param.description))) &&
        OVERWRITE_FLAGS.has(param.words.join('')),
    );
    if (p) ctx.report({ path: p.path, match: `${p.name} = true (default)` });
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
    ],
    pass: [
      { tool: { name: 'upload_asset', inputSchema: { type: 'object', properties: { overwrite: { type: 'boolean', default: false } } } } },
      { tool: { name: 'upload_asset', inputSchema: { type: 'object', properties: { overwrite: { type: 'boolean' } } } } },
      {
        tool: {
          name: 'rename_asset',
          inputSchema: {
            type: 'object',
            properties: { overwrite: { type: 'boolean', description: 'Whether to overwrite the target if it exists. Default is false.' } },
          },
        },
      },
      { tool: { name: 'set_config', inputSchema: { type: 'object', properties: { enabled: { type: 'boolean', default: true } } } } },
    ],
  },
});
