// Money outranks a generic verb: creating, sending or placing a payment, refund, transfer or order moves money.
import type { Lexicon } from '../lexicon.js';
import { defineRule } from '../rule.js';
import { leadingNameVerbs } from '../verb-position.js';

/** How far after the verb the money word may stand, in words ("create a new one-time refund"). */
const OBJECT_REACH = 6;
/** Where the description's action verb may stand in its first sentence ("Use this tool to create ..."). */
const VERB_REACH = 5;

type Money = Lexicon['money'];

/** The object phrase ends at a preposition: in "create a fulfilment for the order" the object is a fulfilment. */
const PREPOSITIONS = new Set(['for', 'of', 'to', 'from', 'on', 'in', 'with', 'by', 'via', 'into', 'at', 'about', 'as']);

/** A money word, or an asset when the verb moves assets (transfer_erc20, swap_tokens; create_token is not money). */
function isMoney(word: string, verb: string, money: Money): boolean {
  return money.objects.has(word) || (money.assets.has(word) && money.assetVerbs.has(verb));
}

/** Verb, then a money word that is not merely qualifying a non-money head: [verb index, object index]. */
function verbThenObject(words: readonly string[], verbAt: number, money: Money, verb = words[verbAt] as string): [number, number] | undefined {
  for (let j = verbAt + 1; j < words.length && j <= verbAt + OBJECT_REACH; j++) {
    if (PREPOSITIONS.has(words[j] as string)) return undefined;
    if (!isMoney(words[j] as string, verb, money)) continue;
    const head = words[j + 1];
    if (head !== undefined && money.nonMoneyHeads.has(head)) return undefined;
    return [verbAt, j];
  }
  return undefined;
}

/** `create_refund`, `send_money`, `payment_intent_create`, `orders.place`: the name's own action moves money. */
function inName(words: readonly string[], lead: number | undefined, money: Money): [number, number] | undefined {
  const last = words.length - 1;
  // Noun-first names put the verb last; the money word is then an earlier one, and the last word is the verb.
  // A name that starts with a verb of its own (`transfer_issue`) is verb-first, whatever its last word.
  if (last > 0 && lead !== 0 && (money.verbs.has(words[last] as string) || money.assetVerbs.has(words[last] as string))) {
    const j = words.findIndex((w) => isMoney(w, words[last] as string, money));
    // The word before the verb is the head: `orders_notes_create` adds a note to an order.
    if (j !== -1 && j < last && !money.nonMoneyHeads.has(words[last - 1] as string)) return [j, last];
  }
  for (const at of lead === undefined || lead === 0 ? [0] : [0, lead]) {
    if (!money.verbs.has(words[at] as string) && !money.assetVerbs.has(words[at] as string)) continue;
    const found = verbThenObject(words, at, money);
    if (found && !money.nonMoneyHeads.has(words[last] as string)) return found;
  }
  return undefined;
}

/** A verb's plain form for the lookup: creates, created, creating -> create (close enough for these verbs). */
function stems(word: string): string[] {
  return [
    word,
    word.replace(/(?:es|s)$/, ''),
    word.replace(/s$/, ''),
    word.replace(/d$/, ''),
    word.replace(/ed$/, ''),
    word.replace(/ing$/, ''),
    word.replace(/ing$/, 'e'),
  ];
}

/** Enough of the lead sentence for its verb and object: the verb stands in its first words. */
const LEAD_CHARS = 160;

function firstSentence(text: string): string[] {
  const head = text.slice(0, LEAD_CHARS);
  const end = head.search(/[.!?\n](?:\s|$)/);
  return (end === -1 ? head : head.slice(0, end)).match(/[a-z0-9]+/g) ?? [];
}

export default defineRule({
  meta: {
    id: 'money.object',
    docs: 'A creating, sending or placing verb whose object is money (a payment, refund, payout, transfer of funds, order) moves money or commits spend: Financial. From the name it is hard.',
    confidence: 'high',
    category: 'Financial',
    hard: true,
    version: 3,
  },
  check(view, ctx) {
    const { money } = view.lexicon;
    const words = view.nameWords;
    const name = inName(words, leadingNameVerbs(view)[0], money);
    if (name) return ctx.report({ path: 'name', match: words.slice(name[0], name[1] + 1).join(' '), hard: true });
    // Most descriptions lead with a verb of their own ("Get", "List"): nothing for this rule, and no words to split.
    let first: (typeof view.descTokens)[number] | undefined;
    for (const t of view.descTokens) {
      if (!t.lead) continue;
      first = t;
      break;
    }
    const firstVerb = first === undefined ? undefined : (view.lexicon.forms.get(first.word)?.lemma ?? first.word);
    if (first?.sentence === 0 && firstVerb !== undefined && !money.verbs.has(firstVerb) && !money.assetVerbs.has(firstVerb)) return;
    const sentence = firstSentence(view.descriptionLower);
    for (let i = 0; i < sentence.length && i < VERB_REACH; i++) {
      const word = sentence[i] as string;
      const verb = stems(word).find((s) => money.verbs.has(s) || money.assetVerbs.has(s));
      if (verb === undefined) {
        // Another verb leads the sentence ("Returns the options: create_prorations, ..."): not this rule's.
        if (view.lexicon.forms.get(word)?.finite) return;
        continue;
      }
      const found = verbThenObject(sentence, i, money, verb);
      if (found) return ctx.report({ path: 'description', match: sentence.slice(found[0], found[1] + 1).join(' ') });
      return;
    }
  },
  cases: {
    fire: [
      { tool: { name: 'create_refund' }, report: { path: 'name', hard: true } },
      { tool: { name: 'create_payment_intent' }, report: { path: 'name', hard: true } },
      { tool: { name: 'send_money' }, report: { path: 'name', hard: true } },
      { tool: { name: 'create_bounty' }, report: { path: 'name', hard: true }, note: 'a bounty posted is money promised' },
      { tool: { name: 'transfer_funds' }, report: { path: 'name', hard: true } },
      { tool: { name: 'place_order' }, report: { path: 'name', hard: true } },
      { tool: { name: 'payment_create' }, report: { path: 'name', hard: true }, note: 'noun-first name' },
      { tool: { name: 'new_thing', description: 'Creates a refund for a charge.' }, report: { path: 'description' } },
      { tool: { name: 'transfer_erc20' }, report: { path: 'name', hard: true }, note: 'an asset, moved' },
      { tool: { name: 'x', description: 'Transfer ERC20 tokens to an address.' }, report: { path: 'description' } },
      { tool: { name: 'create_invoice' }, report: { path: 'name', hard: true }, note: 'a payable record' },
      { tool: { name: 'receive_payment' }, report: { path: 'name', hard: true }, note: 'a payment recorded' },
    ],
    pass: [
      { tool: { name: 'get_invoice' } },
      { tool: { name: 'update_invoice' }, note: 'editing a payable record is Write' },
      { tool: { name: 'orders_notes_create' }, note: 'noun-first: the head before the verb is a note' },
      { tool: { name: 'create_invoice_item' }, note: 'a line of a draft invoice' },
      { tool: { name: 'list_refunds' } },
      { tool: { name: 'create_payment_link' }, note: 'the head is a link' },
      { tool: { name: 'transfer_issue' } },
      { tool: { name: 'create_token' }, note: 'an API token is not money' },
      { tool: { name: 'fulfil_order', description: 'Create a fulfilment for the order.' }, note: 'the object ends at the preposition' },
      { tool: { name: 'create_payment_account' }, note: 'the head is an account' },
      { tool: { name: 'create_issue', description: 'Create an issue about the payment page.' } },
      { tool: { name: 'x', description: 'Lists the payments of a customer, then creates nothing.' } },
      { tool: { name: 'get_options', description: "Returns the options: 'create_prorations', 'always_invoice'." }, note: 'another verb leads' },
    ],
  },
});
