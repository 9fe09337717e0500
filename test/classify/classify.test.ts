// Behaviour of the rules classifier: names, negation, mega-tools, annotations, quality, Unknown, seeds, combine.
import { describe, expect, it } from 'vitest';
import type { Evidence, ServerSnapshot, ToolDefinition } from '../../src/model/index.js';
import { toToolRecord } from '../../src/model/index.js';
import { classifySnapshot, classifyTool, combine, loadTaxonomy, rulesetVersion } from '../../src/classify/index.js';
import type { ClassifyContext } from '../../src/classify/index.js';
import { loadLexicon } from '../../src/classify/lexicon.js';
import { descTokenEnd, serverWords, sharedLeadingWords, splitName, stripPrefix, tokenizeDescription } from '../../src/classify/text.js';

const tool = (t: Partial<ToolDefinition> & { name: string }): ToolDefinition => ({ inputSchema: { type: 'object' }, ...t });
const classify = (t: Partial<ToolDefinition> & { name: string }, ctx?: ClassifyContext) => classifyTool(toToolRecord(tool(t)), ctx);

/** 20,000 strings of up to `maxLength - 1` pieces of `alphabet`, the same on every run (a fixed-seed LCG). */
function randomStrings(alphabet: readonly string[], maxLength: number): string[] {
  let seed = 12345;
  const next = (n: number): number => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0), (seed >>> 8) % n);
  const out: string[] = [];
  for (let i = 0; i < 20_000; i++) {
    let text = '';
    for (let length = next(maxLength); length > 0; length--) text += alphabet[next(alphabet.length)];
    out.push(text);
  }
  return out;
}

describe('description tokens', () => {
  it('are the words and sentence ends of the regex the loop replaced', () => {
    // The definition descTokenEnd is a faster loop for: words stay whole across apostrophes and hyphens.
    const reference = (text: string): string[] => [...text.matchAll(/[A-Za-z][A-Za-z']*(?:-[A-Za-z]+)*|[.!?;:\n]+/g)].map((m) => `${m.index}:${m[0]}`);
    const spans = (text: string): string[] => {
      const out: string[] = [];
      for (let start = 0; start < text.length;) {
        const end = descTokenEnd(text, start);
        if (end < 0) start++;
        else {
          out.push(`${start}:${text.slice(start, end)}`);
          start = end;
        }
      }
      return out;
    };
    const alphabet = ['a', 'Z', "'", '-', '--', '.', '!', '?', ';', ':', '\n', '\r', ' ', ',', '_', '0', 'é', '\ud83d'];
    const differ = randomStrings(alphabet, 16).filter((text) => JSON.stringify(spans(text)) !== JSON.stringify(reference(text)));
    expect(differ).toEqual([]);
    expect(spans("don't read-only x-'y a-")).toEqual(["0:don't", '6:read-only', '16:x', '19:y', '21:a']);
  });

  it('read a noun after a preposition and its alternative as nouns, not a joined verb', () => {
    const lead = (description: string, word: string) => tokenizeDescription(description, loadLexicon()).find((t) => t.word === word)?.lead;
    expect(lead('Get a contact by ID or email.', 'email')).toBe(false);
    expect(lead('Create a new file or overwrite an existing one.', 'overwrite')).toBe(true);
    // A verb with its own object, or joined by "and", is still this tool's action.
    expect(lead('Get a message by ID or delete it.', 'delete')).toBe(true);
    expect(classify({ name: 'contact', description: 'Get a contact by ID or email.' }).category).toBe('Read');
    expect(classify({ name: 'user', description: 'Search for a user by email and ban them.' }).category).toBe('Destructive');
    expect(classify({ name: 'updates', description: 'Check for updates and install them.' }).category).toBe('Execute');
  });

  it("leave out the server's own name where the description names it, unless it would raise the verdict", () => {
    const ctx = (serverName: string): ClassifyContext => ({ serverName, siblingNames: ['list_pages'] });
    const writes = (description: string, serverName: string) =>
      classify({ name: 'list_pages', description }, ctx(serverName)).evidence.filter((e) => e.category === 'Write').length;
    expect(writes('Lists the pages of an account in Resend.', 'other')).toBeGreaterThan(0);
    expect(writes('Lists the pages of an account in Resend.', 'resend')).toBe(0);
    // At a sentence start it is a verb again; a name that would hide a destructive verb hides nothing.
    expect(writes('Lists the pages. Resend one with send_page.', 'resend')).toBeGreaterThan(0);
    expect(classify({ name: 'list_pages', description: 'Lists the pages, then Wipe the disk.' }, ctx('wipe')).category).toBe('Destructive');
    expect(writes('Gets the document, then Email it to all contacts.', 'email')).toBeGreaterThan(0);
  });
});

describe('name splitting and prefix stripping', () => {
  it.each([
    ['cancel_run', ['cancel', 'run']],
    ['cancel-task', ['cancel', 'task']],
    ['deleteUserById', ['delete', 'user', 'by', 'id']],
    ['HTTPRequestSend', ['http', 'request', 'send']],
    ['repo.delete', ['repo', 'delete']],
    ['s3/listBuckets2', ['s', '3', 'list', 'buckets', '2']],
    ['getURL_v2Item', ['get', 'url', 'v', '2', 'item']],
    ['été-Ünïcode', ['t', 'n', 'code']],
    ['__', []],
  ])('%s', (name, words) => expect(splitName(name)).toEqual(words));

  it('splits as the regex it replaced does, on names of every shape', () => {
    // The definition splitName is a faster loop for: split at runs of non-alphanumerics and at case and digit boundaries.
    const reference = (name: string): string[] =>
      name
        .split(/[^A-Za-z0-9]+|(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])|(?<=[A-Za-z])(?=[0-9])|(?<=[0-9])(?=[A-Za-z])/)
        .filter((part) => part !== '')
        .map((part) => part.toLowerCase());
    const alphabet = ['a', 'z', 'A', 'Q', 'Z', '0', '9', '_', '-', '.', '/', ' ', 'é', 'İ', 'ß', '\ud83d', '\ude00'];
    const differ = randomStrings(alphabet, 14).filter((name) => JSON.stringify(splitName(name)) !== JSON.stringify(reference(name)));
    expect(differ).toEqual([]);
  });

  const lex = loadLexicon();
  it('strips a prefix matching the server name', () => {
    expect(stripPrefix(splitName('flowforge_cancel_run'), serverWords('Flowforge'), [], lex).words).toEqual(['cancel', 'run']);
    expect(stripPrefix(splitName('maps_search_places'), serverWords('mcp-server/google-maps'), [], lex).words).toEqual(['search', 'places']);
  });
  it('strips the first words shared by all siblings', () => {
    const shared = sharedLeadingWords(['acme_get_user', 'acme_delete_user'], lex);
    expect(shared).toEqual(['acme']);
    expect(stripPrefix(splitName('acme_delete_user'), new Set(), shared, lex).words).toEqual(['delete', 'user']);
    // An operation id under a namespace of several words: the verb after it is the action.
    const twilio = sharedLeadingWords(['TwilioApiV2010--ListMessage', 'TwilioApiV2010--DeleteMessage', 'TwilioApiV2010--FetchCall'], lex);
    expect(twilio).toEqual(['twilio', 'api', 'v', '2010']);
    expect(stripPrefix(splitName('TwilioApiV2010--DeleteMessage'), new Set(), twilio, lex).words).toEqual(['delete', 'message']);
    // Only the words all share, and never a whole name.
    expect(sharedLeadingWords(['acme_api_get_user', 'acme_web_get_page'], lex)).toEqual(['acme']);
    expect(sharedLeadingWords(['user_profile', 'user_profile_photo'], lex)).toEqual(['user']);
  });
  it('never strips a verb or the last word', () => {
    expect(stripPrefix(splitName('delete_file'), serverWords('delete-bot'), [], lex).words).toEqual(['delete', 'file']);
    expect(stripPrefix(splitName('flowforge'), serverWords('Flowforge'), [], lex).words).toEqual(['flowforge']);
    expect(sharedLeadingWords(['get_a', 'get_b'], lex)).toEqual([]);
    expect(sharedLeadingWords(['acme_get_a', 'acme_get_b'], lex)).toEqual(['acme']);
    expect(stripPrefix(splitName('get_a'), new Set(), ['get'], lex).words).toEqual(['get', 'a']);
  });
  it('classifies a prefixed tool from a snapshot', () => {
    const snapshot: ServerSnapshot = {
      name: 'Flowforge',
      source: { kind: 'manifest', target: 'x' },
      status: 'ok',
      findings: [],
      startedAt: '',
      durationMs: 0,
      tools: [
        toToolRecord(tool({ name: 'flowforge_cancel_run', description: 'Cancel a run.' })),
        toToolRecord(tool({ name: 'flowforge_list_runs', description: 'List runs.' })),
      ],
    };
    const [cancel, list] = classifySnapshot(snapshot);
    expect(cancel?.category).toBe('Destructive');
    expect(cancel?.signals[0]).toBe('Cancels run');
    expect(list?.category).toBe('Read');
  });
});

describe('seed tools are Destructive / Critical', () => {
  it.each<[Partial<ToolDefinition> & { name: string }, ClassifyContext | undefined]>([
    [{ name: 'cancel_run', description: 'Cancel an active task run' }, undefined],
    [
      {
        name: 'flowforge_cancel_run',
        description:
          "Cancel a run that is currently pending or running. Irreversible — the run stops where it is and ends in 'cancelled' state. Use this to abort stuck or misfiring runs. Has no effect on runs that already finished (completed/failed).",
      },
      { serverName: 'Flowforge' },
    ],
    [{ name: 'cancel_job', description: '' }, undefined],
    [
      {
        name: 'cancel-task',
        description:
          'Cancel one or more running tasks. Accepts a single task_id or an array. Running tasks are aborted and marked cancelled. Already-terminal tasks are listed under already_terminal; unknown IDs under not_found.',
      },
      undefined,
    ],
    [{ name: 'cancel-job', description: 'Cancel a Serverless job that is queued or in progress.' }, undefined],
  ])('%o', (t, ctx) => {
    const c = classify(t, ctx);
    expect([c.category, c.risk]).toEqual(['Destructive', 'Critical']);
    expect(c.evidence.some((e) => e.rule === 'verb.name' && e.hard && e.path === 'name')).toBe(true);
    expect(c.provenance).toEqual({ rules: rulesetVersion(), taxonomy: loadTaxonomy().version });
    expect(c.method).toBe('rules');
    expect(c.rationale).toMatch(/name verb "cancel"/);
  });
});

describe('negation', () => {
  it('does not fire destructive on "does not delete" / "without modifying"', () => {
    const c = classify({ name: 'inspect_bucket', description: 'Inspects a bucket. Does not delete or modify objects, works without modifying anything.' });
    expect(c.category).toBe('Read');
    expect(c.evidence.some((e) => e.category === 'Destructive' || e.category === 'Write')).toBe(false);
  });
  it('read-only is not the verb "read", and a query declared read-only reads (the taxonomy: a read-only query is Read)', () => {
    const c = classify({ name: 'query', description: 'Run a read-only SQL query', inputSchema: { type: 'object', properties: { sql: { type: 'string' } } } });
    expect(c.category).toBe('Read');
    expect(c.evidence.some((e) => e.match === 'read')).toBe(false);
    expect(c.evidence.find((e) => e.rule === 'verb.description-lead')).toMatchObject({ category: 'Read', match: expect.stringContaining('Run a read-only') });
    expect(c.evidence.some((e) => e.rule === 'param.code-execution')).toBe(false);
    const writes = classify({ name: 'query', description: 'Run a SQL query', inputSchema: { type: 'object', properties: { sql: { type: 'string' } } } });
    expect([writes.category, writes.risk]).toEqual(['Execute', 'High']);
  });
});

describe('what a destroying verb leaves behind', () => {
  const category = (name: string, description: string): string => classify({ name, description }).category;
  it('taking a record, an issue or a person out of a membership ends the membership (Write)', () => {
    expect(category('remove_record_from_list', 'Removes a record from a list.')).toBe('Write');
    expect(category('remove_issue_from_cycle', 'Removes an issue from a cycle.')).toBe('Write');
    expect(category('remove_member_from_card', 'Removes a member from a card.')).toBe('Write');
    expect(category('remove_card_from_dashboard', 'Removes a card from a dashboard.')).toBe('Write');
    // Out of where they are stored, records are gone.
    expect(category('remove_records', 'Removes records from the table.')).toBe('Destructive');
  });
  it('clearing a value, a cart or a filter empties it; clearing a log loses it', () => {
    expect(category('clear_field', 'Clears a custom field value on a card.')).toBe('Write');
    expect(category('clear_cart', 'Clears the cart.')).toBe('Write');
    expect(category('clear_logs', 'Clears the audit logs.')).toBe('Destructive');
  });
  it('replacing all the data or the whole layout throws the old away; replacing a value or every occurrence edits', () => {
    expect(category('load_table_csv', 'Replaces all data in a table with rows from a CSV.')).toBe('Destructive');
    expect(category('set_layout', 'Replaces the whole card layout of a dashboard.')).toBe('Destructive');
    expect(category('find_and_replace', 'Replaces all occurrences of a string in a document.')).toBe('Write');
    expect(category('set_title', 'Replaces the title of a card.')).toBe('Write');
  });
  it('a role word that ends a name is its action, unless a preposition makes it whose things are meant', () => {
    expect(category('deploy-services-uploader', 'Manages service artifacts.')).toBe('Write');
    expect(category('search_by_sender', 'Searches messages from a sender.')).toBe('Read');
    expect(category('discover_record_attributes', 'Discovers the attributes available for a record type.')).toBe('Read');
  });
  it('unpublishing, declining and snoozing are undone by another call; a permission taken back is granted again', () => {
    expect(category('unpublish_entry', 'Unpublishes an entry.')).toBe('Write');
    expect(category('decline_event', 'Declines a calendar invitation.')).toBe('Write');
    expect(category('snooze_reminder', 'Snoozes an event reminder.')).toBe('Write');
    expect(category('delete_calendar_permission', 'Deletes a calendar permission.')).toBe('Write');
    expect(category('manage_link', 'Removes a link between two work items.')).toBe('Write');
    expect(category('delete_calendar', 'Deletes a calendar and its events.')).toBe('Destructive');
    expect(category('site_audit', 'Audits the site for SEO problems.')).toBe('Read');
  });
  it('opening a session reads; connecting two entries links them; a dependency removed is added again', () => {
    expect(category('connect', 'Connects to the MongoDB server for later calls.')).toBe('Read');
    expect(category('connect_relation', 'Connects related entries.')).toBe('Write');
    expect(category('reschedule_booking', 'Reschedules a booking to a new time.')).toBe('Write');
    expect(category('remove_dependency', 'Removes a dependency between two tasks.')).toBe('Write');
  });
  it('an HTTP-method enum stored on a request, WebDAV methods included, is not the tool its action', () => {
    const method = { type: 'string', enum: ['GET', 'POST', 'DELETE', 'PURGE', 'UNLINK', 'LOCK'] };
    expect(classify({ name: 'save_request', description: 'Saves a request.', inputSchema: { type: 'object', properties: { method } } }).category).toBe('Write');
  });
  it('unsubscribing is undone by subscribing again, and a domain taken off a service can be put back', () => {
    expect(category('unwatch_card', "Unsubscribes the user from a card's notifications.")).toBe('Write');
    expect(category('remove_domain', 'Removes a custom domain from a service.')).toBe('Write');
    expect(category('delete_dns_record', 'Deletes a DNS record.')).toBe('Destructive');
  });
});

describe('code parameters', () => {
  it('a shell command parameter makes any tool Execute, hard', () => {
    const c = classify({ name: 'get_status', description: 'Gets status.', inputSchema: { type: 'object', properties: { command: { type: 'string' } } } });
    expect(c.category).toBe('Execute');
    expect(c.risk).toBe('High'); // the level follows the category
    expect(c.score).toBe(5); // High starts at 3; arbitrary code +1, a two-word description +1
    expect(c.evidence.some((e) => e.hard && e.category === 'Execute')).toBe(true);
  });
});

describe('mega-tools', () => {
  it('take the most dangerous action and list the actions', () => {
    const c = classify({
      name: 'manage_documents',
      description: 'Manage documents.',
      inputSchema: { type: 'object', properties: { operation: { type: 'string', enum: ['get', 'list', 'update', 'delete'] } } },
    });
    expect(c.category).toBe('Destructive');
    const ev = c.evidence.find((e) => e.rule === 'param.action-enum');
    expect(ev?.path).toBe('inputSchema.properties.operation');
    expect(ev?.match).toContain('get, list, update, delete');
    expect(ev?.hard).toBe(true);
  });
});

describe('annotations are hints', () => {
  it('readOnlyHint on a deleting tool is a contradiction, and the tool stays Destructive', () => {
    const c = classify({ name: 'delete_user', description: 'Delete a user.', annotations: { readOnlyHint: true } });
    expect(c.category).toBe('Destructive');
    const f = c.findings.find((x) => x.code === 'annotation.contradiction');
    expect(f?.args).toMatchObject({ hint: 'readOnlyHint', declared: true, conflicting: 'Destructive' });
    expect(f?.path).toBe('annotations.readOnlyHint');
  });
  it('destructiveHint on a plainly read tool is a finding', () => {
    const c = classify({ name: 'get_user', description: 'Get a user by id.', annotations: { readOnlyHint: false, destructiveHint: true } });
    expect(c.category).toBe('Read');
    expect(c.findings.find((x) => x.code === 'annotation.contradiction')?.args).toMatchObject({ hint: 'destructiveHint', declared: true, conflicting: 'Read' });
  });
  it('missing hints are suggested', () => {
    const c = classify({ name: 'delete_user', description: 'Delete a user.' });
    expect(c.findings.find((x) => x.code === 'annotation.missing')?.args).toEqual({ readOnlyHint: false, destructiveHint: true, openWorldHint: false });
  });
  it('consistent hints produce no finding', () => {
    const c = classify({ name: 'get_user', description: 'Get a user by id.', annotations: { readOnlyHint: true, openWorldHint: false } });
    expect(c.findings).toEqual([]);
  });
});

describe('description quality', () => {
  it('empty description: finding, undocumented modifier, lower confidence', () => {
    const empty = classify({ name: 'get_user', description: '' });
    const good = classify({ name: 'get_user', description: 'Get a user profile by id.' });
    expect(empty.findings.map((f) => f.code)).toContain('quality.empty-description');
    expect([empty.risk, empty.score]).toEqual(['Low', 2]); // undocumented moves the score, not the level
    expect([good.risk, good.score]).toEqual(['Low', 1]);
    expect(empty.confidence).toBeLessThan(good.confidence);
  });
  it.each([
    ['TODO', 'placeholder'],
    ['Get user', 'too-short'],
    ['Get the user', 'restates-name'],
  ])('%s is uninformative (%s)', (description, reason) => {
    const c = classify({ name: 'get_user', description });
    expect(c.findings.find((f) => f.code === 'quality.uninformative-description')?.args.reason).toBe(reason);
  });
});

describe('Unknown', () => {
  it('an empty tool is Unknown / Unknown, never safe', () => {
    const c = classify({ name: 'x', inputSchema: { type: 'object' } });
    expect([c.category, c.risk]).toEqual(['Unknown', 'Unknown']);
    expect(c.confidence).toBe(0);
    expect(c.signals.length).toBeGreaterThan(0);
  });
});

describe('combine', () => {
  const ev = (e: Partial<Evidence> & { rule: string }): Evidence => ({ path: 'name', match: 'x', ...e });
  it('picks the most dangerous category with decisive evidence', () => {
    const v = combine([ev({ rule: 'verb.name', category: 'Read' }), ev({ rule: 'verb.description-lead', category: 'Write' })]);
    expect(v.category).toBe('Write');
    expect(v.risk).toBe('Medium');
  });
  it('weak evidence alone does not outvote a decisive verb', () => {
    const v = combine([
      ev({ rule: 'verb.name', category: 'Read' }),
      ev({ rule: 'verb.name-secondary', category: 'Write' }),
      ev({ rule: 'verb.description', category: 'Write' }),
    ]);
    expect(v.category).toBe('Read');
  });
  it('keeps the level at the category default and moves the score by the modifiers that apply to the category, clamped to 1..5', () => {
    const v = combine([
      ev({ rule: 'param.code-execution', category: 'Execute', hard: true, modifier: { id: 'arbitrary-code', delta: 1 } }),
      ev({ rule: 'cap.bulk', modifier: { id: 'bulk', delta: 1 } }),
      ev({ rule: 'cap.irreversible', modifier: { id: 'irreversible', delta: 1 } }),
    ]);
    expect([v.risk, v.score]).toEqual(['High', 5]); // 3 + 3, clamped
    const read = combine([ev({ rule: 'verb.name', category: 'Read' }), ev({ rule: 'cap.bulk', modifier: { id: 'bulk', delta: 1 } })]);
    expect([read.risk, read.score]).toEqual(['Low', 1]); // bulk does not apply to Read
    expect(combine([]).score).toBeNull();
  });
  it('a dry-run modifier lowers the score, never the level', () => {
    const v = combine([
      ev({ rule: 'verb.name', category: 'Destructive', hard: true }),
      ev({ rule: 'modifier.dry-run', modifier: { id: 'dry-run', delta: -1 } }),
    ]);
    expect([v.risk, v.score]).toEqual(['Critical', 4]); // dry-run does not apply to Destructive
    const w = combine([ev({ rule: 'verb.name', category: 'Write' }), ev({ rule: 'modifier.dry-run', modifier: { id: 'dry-run', delta: -1 } })]);
    expect([w.risk, w.score]).toEqual(['Medium', 1]);
  });
  it('an opinion cannot lower hard Destructive evidence', () => {
    const v = combine([ev({ rule: 'verb.name', category: 'Destructive', hard: true })], [{ source: 'llm', category: 'Read', risk: 'Low', confidence: 0.99 }]);
    expect([v.category, v.risk]).toEqual(['Destructive', 'Critical']);
    expect(v.method).toBe('rules+llm');
  });
  it('an opinion may raise', () => {
    const v = combine(
      [ev({ rule: 'verb.name', category: 'Read' })],
      [{ source: 'llm', category: 'Financial', risk: 'Critical', capabilities: ['costs-money'], confidence: 0.7 }],
    );
    expect([v.category, v.risk]).toEqual(['Financial', 'Critical']);
    expect(v.capabilities).toContain('costs-money');
  });
  it('a more confident opinion may refine soft evidence downward', () => {
    const v = combine([ev({ rule: 'verb.description-lead', category: 'Execute' })], [{ source: 'llm', category: 'Read', risk: 'Low', confidence: 0.95 }]);
    expect(v.category).toBe('Read');
  });
  it('Financial ranks above Destructive', () => {
    const v = combine([ev({ rule: 'verb.name', category: 'Destructive', hard: true }), ev({ rule: 'verb.name', category: 'Financial', hard: true })]);
    expect(v.category).toBe('Financial');
  });
  it('no evidence is Unknown', () => {
    expect(combine([])).toMatchObject({ category: 'Unknown', risk: 'Unknown', confidence: 0 });
  });
});

// Known misses, kept visible: each runs as an expected failure, so a fix shows up as a failing `fails` test to flip.
describe('known misses', () => {
  it('transfer_issue is Write, not Financial: "transfer" moves money only when money is what it moves', () => {
    expect(classify({ name: 'transfer_issue', description: 'Transfer an issue to another repository.' }).category).toBe('Write');
  });
  it.fails('browser_drop is Write: the name verb "drop" reads as destructive (drop table) wherever it stands', () => {
    expect(
      classify({ name: 'browser_drop', description: 'Drop files or MIME-typed data onto an element, as if dragged from outside the page.' }).category,
    ).toBe('Write');
  });
  it('browser_select_option is Write: "select" leads a name as a form action (name-only: in prose it reads, as in SQL)', () => {
    expect(classify({ name: 'browser_select_option', description: 'Select an option in a dropdown' }).category).toBe('Write');
  });
});

describe('page interaction and parameter documentation', () => {
  it('browser_navigate reads a page (navigate is a Read verb)', () => {
    expect(
      classify({ name: 'browser_navigate', description: 'Navigate to a URL', inputSchema: { type: 'object', properties: { url: { type: 'string' } } } })
        .category,
    ).toBe('Read');
  });
  it('"drag and drop" drops nothing', () => {
    expect(classify({ name: 'browser_drag', description: 'Perform drag and drop between two elements' }).category).toBe('Write');
  });
  it('a parameter documented in the description is not a verb', () => {
    const c = classify({
      name: 'list_disputes',
      description: 'This tool will fetch a list of disputes.\n - charge (string, optional): Only return disputes for this charge.',
    });
    expect(c.category).toBe('Read');
  });
  it('an identifier in the description is not a verb', () => {
    expect(classify({ name: 'get_options', description: "Returns the options: 'create_prorations', 'always_invoice'." }).category).toBe('Read');
  });
  it('"type" is a verb in a name but a noun in prose', () => {
    expect(classify({ name: 'browser_type', description: 'Type text into editable element' }).category).toBe('Write');
    expect(classify({ name: 'get_file_info', description: 'Returns size, creation time, permissions, and type. Read only.' }).category).toBe('Read');
  });
  it('a plural noun later in the name is not the leading verb', () => {
    expect(classify({ name: 'browser_console_messages', description: 'Returns all console messages' }).category).toBe('Read');
  });
});

describe('a plain verb never leaves a tool Unknown', () => {
  it.each([
    ['kick_member', 'Destructive'],
    ['ban_user', 'Destructive'],
    ['trash_file', 'Destructive'],
    ['pause_job', 'Write'],
    ['stop_vm', 'Write'],
    ['shutdown_server', 'Write'],
    ['start_vm', 'Execute'],
    ['restart_service', 'Execute'],
    ['resume_job', 'Execute'],
    ['upgrade_cluster', 'Execute'],
    ['promote_deployment', 'Execute'],
    ['rebuild_index', 'Execute'],
    ['recreate_pod', 'Execute'],
    ['request_review', 'Write'],
    ['refresh_token', 'Write'],
    ['reload_config', 'Write'],
    ['reconnect_session', 'Write'],
    ['archive_project', 'Write'],
    ['browser_select_option', 'Write'],
    ['go_back', 'Read'],
    ['go_forward', 'Read'],
  ] as const)('%s is %s', (name, category) => {
    expect(classify({ name, description: '' }).category).toBe(category);
  });
});

describe('annotations are evidence both ways, weighted', () => {
  it('destructiveHint alone says the tool changes state, not that it destroys', () => {
    expect(classify({ name: 'widget', description: '', annotations: { destructiveHint: true } }).category).toBe('Write');
  });
  it('readOnlyHint: true beats weak write evidence; readOnlyHint: false counts against Read', () => {
    const weakWrite = 'Widget state; messages are kept.';
    expect(classify({ name: 'widget', description: weakWrite, annotations: { readOnlyHint: true } }).category).toBe('Read');
    expect(classify({ name: 'widget', description: 'The widget and its history.', annotations: { readOnlyHint: false } }).category).toBe('Write');
  });
  it('a declared hint that contradicts strong evidence stays a finding, and the evidence decides', () => {
    const c = classify({ name: 'delete_widget', description: 'Deletes a widget.', annotations: { readOnlyHint: true } });
    expect(c.category).toBe('Destructive');
    expect(c.findings.map((f) => f.code)).toContain('annotation.contradiction');
  });
});

describe('evidence', () => {
  it('never repeats an item within a tool, over every captured real tool', async () => {
    const { readdirSync, readFileSync } = await import('node:fs');
    let tools = 0;
    for (const folder of ['../fixtures/servers/', '../eval/servers/']) {
      const dir = new URL(folder, import.meta.url);
      for (const file of readdirSync(dir).filter((f) => f.endsWith('.json'))) {
        const snapshot = JSON.parse(readFileSync(new URL(file, dir), 'utf8')) as { tools: ToolDefinition[] };
        const siblingNames = snapshot.tools.map((t) => t.name);
        for (const t of snapshot.tools) {
          const evidence = classifyTool(toToolRecord(t), { siblingNames }).evidence;
          const byRule = evidence.map((e) => `${e.rule}|${e.path}|${e.match}`);
          const bySense = evidence.map((e) => `${e.path}|${e.match}|${e.category ?? ''}|${e.capability ?? ''}|${e.modifier?.id ?? ''}`);
          expect(new Set(byRule).size, `${file} ${t.name}: ${byRule.join('; ')}`).toBe(byRule.length);
          expect(new Set(bySense).size, `${file} ${t.name}: ${bySense.join('; ')}`).toBe(bySense.length);
          tools += 1;
        }
      }
    }
    expect(tools).toBeGreaterThan(1000);
  });
});

describe('idioms in tool names', () => {
  // A server that names its tools verb last (`tabs_list`, `page_reload`) still has `go_forward` go somewhere.
  const siblings = ['browser_go_forward', 'browser_go_back', 'tabs_list', 'page_reload', 'cookies_clear', 'email_forward', 'form_submit'];
  it('reads "go forward" as navigation, while a lone "forward" still forwards', () => {
    expect(classify({ name: 'browser_go_forward', description: 'Navigate forward in browser history' }, { siblingNames: siblings }).category).toBe('Read');
    expect(classify({ name: 'email_forward', description: 'Forward an email to another recipient' }, { siblingNames: siblings }).category).toBe('Write');
  });
});

describe('a position, not a verb', () => {
  it('reads "starting from" and "beginning at" as where, while "starting" a job still starts it', () => {
    expect(classify({ name: 'site_crawl', description: 'Crawl a website starting from a URL and return the pages found.' }).category).toBe('Read');
    expect(classify({ name: 'job_control', description: 'Starting the nightly job, which rebuilds the index.' }).category).toBe('Execute');
  });
});

describe('a verb-last server', () => {
  const siblings = ['stories_create', 'stories_update', 'labels_list', 'stories_get_by_external_link', 'files_in_folder_delete', 'members_list'];
  it('takes the last word as the action, unless it ends a phrase of an earlier verb', () => {
    expect(
      classify({ name: 'stories_get_by_external_link', description: 'Find stories that contain an external link.' }, { siblingNames: siblings }).category,
    ).toBe('Read');
    expect(classify({ name: 'files_in_folder_delete', description: 'Files in a folder.' }, { siblingNames: siblings }).category).toBe('Destructive');
  });
});
