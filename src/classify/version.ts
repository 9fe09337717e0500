// The rule-set version is derived, never typed: a short hash over everything the rules read, so a
// changed lexicon entry or pattern can never hide behind an old label.
import { contentHash } from './content-hash.js';
import { readDataFile } from './data-files.js';
import { CODE_RULES } from './registry.js';
import { loadTaxonomy } from './taxonomy.js';

/**
 * The code around the rules (view, tokenizer, combine, explain, findings, the poisoning analyser's own
 * checks). Bump it when a change there changes what a tool classifies as or the findings it gets; code
 * rules carry their own `version`. 4: look-alike letters in names, claims on another tool's calls.
 * 5: the poisoning scan ends a sentence at an ideographic full stop and wakes rules on non-Latin letters.
 * 6: the server's own name is no verb in its descriptions, "by ID or email" joins nouns, a bare name
 * verb's signal gives way to the description's lead, orders after a condition on another tool's call.
 * 7: the words every sibling's name starts with are a namespace; creating a job or a prediction runs it;
 * an approval, a port or a suppression removed is put back; the poisoning analyser's `unless` reads past
 * "e.g." and its orders leave out "always call X first to get …".
 * 8: a recipient parameter (`bcc`, `forward_to`) with an outside address for its default is
 * exfiltration; an isolate pair around right-to-left text or punctuation is not hidden content; a
 * record removed from a list, a module or a dashboard, a value cleared and a domain removed are Write;
 * "never supports X (use Y)" and "before calling X to change the …" order nothing; unpublish,
 * decline and snooze are Write; an enum written as HTTP methods is a request's method; connect reads
 * unless it links entries; a name in capitals is no tool.
 * 9: a destination parameter (an export target, a callback) with an outside address for its default is
 * exfiltration; text said to be in ROT13 is decoded and read; Greek, Hebrew, Arabic, Devanagari and
 * Thai letters wake the rules written in those scripts.
 * 10: the Indic scripts wake them too; a rule's `unless_tool` leaves a tool's own subject alone; the
 * name's verb gives way to the description's same leading verb read with its object.
 * 11: a Latin word spelt with look-alike Greek or Cyrillic letters is hidden content and read in Latin;
 * an LLM's manipulation quote found in the tool's text is a poisoning finding.
 */
export const ENGINE_VERSION = 11;

let cached: string | undefined;

/** e.g. `rules@2+3f9c1a7`: the engine version, plus a hash of the taxonomy, lexicon, data rules, untrusted-text patterns and code rules. */
export function rulesetVersion(): string {
  cached ??= `rules@${ENGINE_VERSION}+${contentHash({
    taxonomy: loadTaxonomy().version,
    lexicon: readDataFile('lexicon.yaml'),
    rules: readDataFile('rules.yaml'),
    untrustedText: readDataFile('untrusted-text.yaml'),
    poisoning: readDataFile('poisoning.yaml'),
    codeRules: CODE_RULES.map((r) => `${r.meta.id}@${r.meta.version ?? 0}`),
  })}`;
  return cached;
}
