// Renders the verdict's evidence into signals (short phrases to scan) and a two-or-three sentence rationale.
import type { Evidence } from '../model/index.js';
import type { CombinedVerdict } from './combine.js';
import { thirdPerson } from './lexicon.js';
import { loadTaxonomy } from './taxonomy.js';
import type { ToolView } from './view.js';

const MAX_SIGNALS = 5;

function capitalize(s: string): string {
  return s.length === 0 ? s : s[0]!.toUpperCase() + s.slice(1);
}

/** "Cancels run" from the name `cancel_run`: the leading verb conjugated, the rest of the name as object. */
function nameSignal(view: ToolView, ev: Evidence): string | undefined {
  const entry = view.lexicon.forms.get(ev.match);
  if (!entry) return undefined;
  const i = view.nameWords.indexOf(ev.match);
  const rest = view.nameWords.slice(i + 1);
  // Drop verbs joined by and/or (`create_or_update_file` -> "Creates file"); keep nouns that look like verbs (`cancel_run`).
  const object = rest.filter((w, j) => !view.lexicon.conjunctions.has(w) && !view.lexicon.conjunctions.has(rest[j - 1] ?? ''));
  return capitalize([thirdPerson(entry.lemma), ...object].join(' '));
}

/** The name verb is the name's last word: its signal would be the verb alone. */
function bareNameVerb(view: ToolView, ev: Evidence): boolean {
  return view.nameWords.indexOf(ev.match) === view.nameWords.length - 1;
}

// Words that end a description fragment without saying anything ("overwrite an existing file with").
const TRAILING_FILLER = new Set(['a', 'an', 'the', 'with', 'or', 'and', 'to', 'of', 'in', 'for', 'it', 'that', 'either', 'by', 'on', 'from', 'as', 'is', 'be']);

/** "Overwrites an existing file" from the description fragment "overwrite an existing file with". */
function descriptionSignal(view: ToolView, ev: Evidence): string {
  const words = ev.match.replace(/[.,;:!?]+$/, '').split(/\s+/);
  while (words.length > 1 && TRAILING_FILLER.has(words.at(-1)!.toLowerCase())) words.pop();
  const entry = view.lexicon.forms.get(words[0]!.toLowerCase());
  if (entry) words[0] = thirdPerson(entry.lemma);
  return capitalize(words.join(' '));
}

function where(ev: Evidence): string {
  if (ev.path === 'name') return `the name verb "${ev.match}"`;
  if (ev.path === 'description') return `the description ("${ev.match}")`;
  if (ev.path.startsWith('annotations.')) return `the declared annotation ${ev.match}`;
  return `the parameter ${ev.path.replace(/^inputSchema\./, '')} ("${ev.match}")`;
}

export function signals(view: ToolView, verdict: CombinedVerdict): string[] {
  const taxonomy = loadTaxonomy();
  const out: string[] = [];
  const add = (s: string | undefined): void => {
    if (s && !out.includes(s) && out.length < MAX_SIGNALS) out.push(s);
  };
  const top = verdict.deciding[0];
  // A bare name verb ("Snapshots", from `browser_snapshot`) says less than the description's lead of the
  // same category ("Captures accessibility snapshot"), when there is one.
  const lead =
    top?.path === 'name' && bareNameVerb(view, top)
      ? verdict.deciding.find((e) => e.rule === 'verb.description-lead' && e.category === top.category)
      : undefined;
  if (lead) add(descriptionSignal(view, lead));
  else if (top?.path === 'name') add(nameSignal(view, top));
  else if (top?.rule === 'param.action-enum') add(`Offers actions: ${top.match.replace(/^.*\(actions: /, '').replace(/\)$/, '')}`);
  else if (top?.rule === 'param.code-execution') add(`Takes code to run in "${top.match}"`);
  else if (top && top.path === 'description') add(descriptionSignal(view, top));
  if (verdict.category !== 'Unknown') add(taxonomy.categories.get(verdict.category)?.signal);
  for (const c of verdict.capabilities) {
    // Destructive's own signal already says it cannot be undone.
    if (c === 'irreversible' && verdict.category === 'Destructive') continue;
    add(taxonomy.capabilities.get(c)?.signal);
  }
  if (verdict.modifiers.some((m) => m.modifier?.id === 'undocumented')) add('No useful description; judged from the name');
  if (verdict.category === 'Unknown') add('Nothing to go on; needs review');
  return out;
}

export function rationale(view: ToolView, verdict: CombinedVerdict): string {
  const taxonomy = loadTaxonomy();
  if (verdict.category === 'Unknown') {
    return `Nothing in the name, description, parameters or annotations of ${JSON.stringify(view.definition.name)} says what it does. It is not shown as safe; a reviewer should look at it.`;
  }
  const def = taxonomy.categories.get(verdict.category);
  const top = verdict.deciding[0];
  const sentences: string[] = [];
  if (top) {
    const strength = top.hard ? 'hard evidence' : verdict.tentative ? 'weak evidence, nothing stronger was found' : 'the strongest evidence';
    sentences.push(`Classified ${verdict.category} (${def?.means.replace(/\.$/, '').toLowerCase() ?? ''}) because of ${where(top)}, ${strength}.`);
  } else {
    sentences.push(`Classified ${verdict.category}.`);
  }
  const mods = verdict.modifiers.map((m) => `${m.modifier!.id} (${m.modifier!.delta > 0 ? '+' : ''}${m.modifier!.delta}, ${m.path})`);
  sentences.push(
    mods.length > 0
      ? `Risk ${verdict.risk}, the ${verdict.category} level; score ${verdict.score}/5, moved by ${mods.join(', ')}.`
      : `Risk ${verdict.risk}, the ${verdict.category} level; score ${verdict.score}/5.`,
  );
  if (view.description.trim() === '') sentences.push('The description is empty, so this rests on the name alone.');
  return sentences.join(' ');
}
