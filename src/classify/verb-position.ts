// Where a verb stands decides how much it says: the name's leading verb, a sentence's leading verb, or neither.
import type { LexEntry } from './lexicon.js';
import { isIdiom } from './text.js';
import type { DescToken } from './text.js';
import type { ToolView } from './view.js';

/** Nouns of reading: running one of these reads (`run a find query`, `start a search`, `trigger a scan`). */
const READ_ACTIVITY = new Set([
  'search',
  'searches',
  'query',
  'queries',
  'crawl',
  'scan',
  'scans',
  'research',
  'lookup',
  'find',
  'select',
  'report',
  'reports',
  'analysis',
  'diagnostics',
  'audit',
  'inspection',
  'review',
  'check',
  'checks',
  'count',
  'explain',
]);
/** What starting opens with a message to someone: a conversation, a chat, a thread. */
const CONVERSATIONS = new Set(['conversation', 'conversations', 'chat', 'chats', 'thread', 'threads', 'discussion', 'discussions', 'dm']);
/** Execute verbs that set a reading activity going ("run a query", "start a search"). */
const STARTING = new Set(['run', 'execute', 'exec', 'start', 'trigger', 'launch', 'invoke', 'rerun']);
/** Words that make a query write after all ("run an update query"). */
const WRITING = new Set(['update', 'insert', 'delete', 'write', 'mutation', 'mutations', 'ddl', 'drop', 'alter', 'create', 'arbitrary', 'any']);
/** How many words after the verb its object may stand ("Run a safe, read-only SELECT query"). */
const OBJECT_REACH = 5;
/**
 * What another call puts back as it was: a reaction, a cache that refills itself, an approval given
 * again, a port exposed again, an address put back on a suppression list. Removing one loses nothing
 * (taxonomy: Destructive is what another call cannot restore). Only as the head of the object
 * (`delete_issue_emoji_reaction`), not as a qualifier (`delete_cache_cluster`).
 */
const RESTORABLE = new Set([
  'reaction',
  'reactions',
  'cache',
  'caches',
  'approval',
  'approvals',
  'port',
  'ports',
  'suppression',
  'suppressions',
  'domain',
  'domains',
  // a permission, a share or an assignment taken back is granted again as it was
  'permission',
  'permissions',
  'share',
  'shares',
  'assignment',
  'assignments',
  // a dependency between tasks: a link, made again by another call
  'dependency',
  'dependencies',
  // a watch on an issue is a subscription, taken again by watching it
  'watch',
  'watches',
]);
/** What connecting or disconnecting links or unlinks, rather than a session it opens or closes. */
const LINKED = new Set(['relation', 'relations', 'entry', 'entries', 'record', 'records', 'item', 'items', 'issue', 'issues', 'task', 'tasks']);
/**
 * What clearing empties without losing a record: a field's value, a cart, a selection, a filter, a
 * flag. Set again, it is as it was (Write); clearing logs, history or a queue loses them.
 */
const CLEARABLE = new Set([
  'basket',
  'baskets',
  'field',
  'fields',
  'value',
  'values',
  'cart',
  'carts',
  'selection',
  'selections',
  'filter',
  'filters',
  'flag',
  'flags',
  'status',
  'highlight',
  'highlights',
  'formatting',
  'input',
  'inputs',
]);
/**
 * What creating starts rather than stores: a prediction, a training, a job or a run goes on to run on
 * its own (Execute), as running one does (`create_prediction`, "Creates a pipeline run").
 */
const JOBS = new Set(['prediction', 'predictions', 'training', 'trainings', 'job', 'jobs', 'run', 'runs', 'execution', 'executions']);
/**
 * Work that is under way: stopping a job, a run, a build or a deployment loses what it had done (as
 * cancelling one does); stopping a machine, a search or a recording does not.
 */
const WORK_UNDER_WAY = new Set([
  'job',
  'jobs',
  'run',
  'runs',
  'build',
  'builds',
  'deployment',
  'deployments',
  'deploy',
  'execution',
  'executions',
  'workflow',
  'workflows',
  'pipeline',
  'pipelines',
  'migration',
  'migrations',
]);
const STOPPING = new Set(['stop', 'halt']);

/** Information about a run or a build, named by the word before it: `build_info`, `deploy_status`, `run_logs`. */
const ABOUT_IT = new Set(['info', 'information', 'status', 'statuses', 'logs', 'log', 'history', 'details', 'metadata', 'stats', 'statistics']);

/** Verbs that detach: "remove a contact from a tag" ends a membership, the contact stays. */
const DETACHING = new Set(['remove', 'unlink', 'detach', 'unassign']);
/** What a thing is a member of, not where it is stored: removing from one of these ends the membership. */
const MEMBERSHIPS = new Set([
  'tag',
  'tags',
  'label',
  'labels',
  'group',
  'groups',
  'list',
  'lists',
  'team',
  'teams',
  'segment',
  'segments',
  'audience',
  'audiences',
  'playlist',
  'playlists',
  'role',
  'roles',
  'channel',
  'channels',
  'story',
  'stories',
  'epic',
  'milestone',
  'watchlist',
  'favorites',
  'favourites',
  'cart',
  'basket',
  'baskets',
  // groupings an issue or a card is placed in: a module, a cycle, a sprint, a dashboard
  'module',
  'modules',
  'cycle',
  'cycles',
  'sprint',
  'sprints',
  'iteration',
  'iterations',
  'dashboard',
  'dashboards',
]);
/** What links two things: taking one off leaves both. */
const ASSOCIATIONS = new Set([
  'link',
  'links',
  // "the relation between an issue and a related issue": both issues stay
  'relation',
  'relations',
  'tag',
  'tags',
  'label',
  'labels',
  'role',
  'roles',
  'assignee',
  'assignees',
  'reviewer',
  'reviewers',
  'watcher',
  'watchers',
  'protection',
  'dependency',
  'dependencies',
  // a person taken off a card, a project or a meeting is still there
  'member',
  'members',
  'collaborator',
  'collaborators',
  'participant',
  'participants',
  'attendee',
  'attendees',
]);
/** Things whose loss is data lost, whatever they are removed from. */
const DATA = new Set([
  'file',
  'files',
  'row',
  'rows',
  'record',
  'records',
  'data',
  'dataset',
  'datasets',
  'message',
  'messages',
  'document',
  'documents',
  'attachment',
  'attachments',
  'table',
  'tables',
  'database',
  'databases',
  'content',
  'contents',
]);
/** Ends a noun phrase: the object of a verb stops here, and a name's last word after one ends a phrase. */
const PREPOSITIONS = new Set(['by', 'for', 'from', 'with', 'in', 'on', 'of', 'to', 'at', 'via']);
/** Words before a noun that are not the noun: skipped when looking for an object's head. */
const DETERMINERS = new Set(['a', 'an', 'the', 'all', 'any', 'every', 'each']);
/** A version suffix on a name (`clearWebsiteCacheV1`): not part of the object. */
const VERSION = /^(?:v|\d+)$/;

/**
 * Things a schedule books rather than starts: scheduling one adds an entry to a calendar or a queue of
 * posts (Write); scheduling a job, a run or a backup starts it later (Execute, the lexicon's word).
 */
const BOOKED = new Set([
  'meeting',
  'meetings',
  'event',
  'events',
  'appointment',
  'appointments',
  'interview',
  'interviews',
  'visit',
  'visits',
  'reminder',
  'reminders',
  'downtime',
  'downtimes',
  'maintenance',
  'post',
  'posts',
  'tweet',
  'tweets',
  'message',
  'messages',
  'email',
  'emails',
  'sms',
  'notification',
  'notifications',
  'newsletter',
  'newsletters',
  'broadcast',
  'broadcasts',
  'delivery',
  'deliveries',
  'pickup',
  'pickups',
]);

/** Settings a reset puts back to their defaults: they can be set again, so nothing is lost (Write). */
const SETTINGS = new Set([
  // a counter reset starts again from zero; nothing it counted is lost
  'count',
  'counter',
  'counters',
  'settings',
  'setting',
  'preferences',
  'preference',
  'extensions',
  'extension',
  'hostname',
  'hostnames',
  'defaults',
  'filters',
  'filter',
  'layout',
  'zoom',
  'theme',
]);
/** What a rollback returns to an earlier release of: a deployment, not data (Execute). */
const DEPLOYED = new Set([
  'deploy',
  'deployment',
  'deployments',
  'release',
  'releases',
  'rollout',
  'rollouts',
  'pipeline',
  'pipelines',
  'revision',
  'revisions',
  'service',
  'services',
  'app',
  'application',
  'build',
  'builds',
]);

/** Records a promotion only moves up a ladder (Write); promoting anything else (a build, a replica, a model) puts it live (Execute). */
const PROMOTED_RECORDS = new Set([
  'milestone',
  'milestones',
  'member',
  'members',
  'user',
  'users',
  'contributor',
  'contributors',
  'collaborator',
  'collaborators',
  'moderator',
  'moderators',
  'issue',
  'issues',
  'epic',
  'epics',
  'lead',
  'leads',
]);
/**
 * What a generating verb makes that grants access: a credential, or a link that carries one (an upload
 * URL, a presigned or sharing link, an invitation). That is a new grant someone can use (Write), not
 * output handed back as a chart or a summary is (the lexicon's Read).
 */
const CREDENTIALS = new Set([
  'token',
  'tokens',
  'key',
  'keys',
  'apikey',
  'secret',
  'secrets',
  'password',
  'passwords',
  'passphrase',
  'credential',
  'credentials',
  'certificate',
  'certificates',
  'cert',
  'certs',
  'passkey',
  'invite',
  'invites',
  'invitation',
  'invitations',
]);
const LINKS = new Set(['url', 'urls', 'link', 'links', 'uri']);
/** A token that grants access, not one of a model's text tokens. */
const TOKEN_KINDS = new Set(['access', 'api', 'auth', 'bearer', 'refresh', 'session', 'personal', 'jwt', 'oauth', 'invite', 'deploy', 'service']);
/** Words before a link that make it carry access. */
const GRANTING = new Set([
  'upload',
  'presigned',
  'pre-signed',
  'signed',
  'share',
  'sharing',
  'shareable',
  'invite',
  'invitation',
  'access',
  'login',
  'magic',
  'sas',
]);
/**
 * Keys that are no credential: a cache or sort key is computed and returned; a random password or a
 * memorable passphrase made on the spot is handed back, not issued by a service.
 */
const NOT_SECRET = new Set(['cache', 'idempotency', 'sort', 'partition', 'primary', 'hash', 'lookup', 'unique', 'foreign', 'random', 'memorable']);

/**
 * What a restore or a rebuild puts a whole machine's or store's disk back over: its current state is
 * replaced (Destructive). Restoring a file, a setting or a DNS zone, or rebuilding an index, is not.
 */
const REIMAGED = new Set([
  'vm',
  'vms',
  'machine',
  'machines',
  'server',
  'servers',
  'droplet',
  'droplets',
  'instance',
  'instances',
  'volume',
  'volumes',
  'disk',
  'disks',
  'database',
  'databases',
  'db',
  'vps',
]);

/** The verbs whose object may be one of those (categoryWithObject). */
const REIMAGING = new Set(['restore', 'rebuild', 'revert', 'snapshot']);

/** Words after a booking or a reset that say the call still loses or removes something. */
const LOSS_AFTER = new Set([
  'deleted',
  'deletion',
  'removed',
  'removal',
  'erase',
  'erases',
  'erasing',
  'erased',
  'wipe',
  'wipes',
  'wiping',
  'lose',
  'loses',
  'losing',
  'lost',
  'loss',
  'data',
  'purged',
  'destroyed',
]);

/** A verb's object phrase in the words after it: up to a preposition, a conjunction or a non-word. */
function objectPhrase(following: readonly string[]): { clause: readonly string[]; cut: number; object: string[] } {
  const clause = following.slice(0, 2 * OBJECT_REACH);
  const cut = clause.findIndex((w) => !/^[a-z]/.test(w) || w === 'and' || w === 'or' || PREPOSITIONS.has(w));
  const object = (cut === -1 ? clause : clause.slice(0, cut)).filter((w) => !DETERMINERS.has(w) && !VERSION.test(w));
  return { clause, cut, object };
}

/** The last word of the verb's object: what it acts on (`delete the issue emoji reaction` -> `reaction`). */
const objectHead = (following: readonly string[]): string | undefined => objectPhrase(following).object.at(-1);

/** A destroying verb whose object is restorable, or that only detaches its object from a membership. */
function restorable(entry: LexEntry, following: readonly string[]): boolean {
  if (following.includes('permanently') || following.includes('permanent')) return false;
  const { clause, cut, object } = objectPhrase(following);
  const head = object.at(-1);
  if (head !== undefined && RESTORABLE.has(head)) return true;
  if (entry.lemma === 'clear') return head !== undefined && CLEARABLE.has(head);
  const from = cut !== -1 && clause[cut] === 'from';
  // Taken out of a membership ("remove a record from a list"), even a record stays where it is stored.
  if (entry.lemma === 'remove' && from && clause.slice(cut + 1, cut + 4).some((w) => MEMBERSHIPS.has(w))) return true;
  if (!DETACHING.has(entry.lemma) || object.some((w) => DATA.has(w))) return false;
  // unlink, detach, unassign: undoing an association is all they do.
  if (entry.lemma !== 'remove') return true;
  // remove: only a tag, a link or a role taken off something, or something taken out of a membership.
  // "a link between two work items": what joins them goes, both stay.
  const between = clause.indexOf('between');
  if (between > 0 && ASSOCIATIONS.has(clause[between - 1] as string)) return true;
  return from && head !== undefined && ASSOCIATIONS.has(head);
}

/**
 * The category a verb reports once its object is read: a soft Execute verb (run, start, trigger,
 * execute) whose object is a reading activity or is declared read-only reads; scheduling a meeting, a
 * post or a downtime books it (Write); resetting settings to defaults changes them (Write); rolling back
 * a deployment deploys (Execute); promoting a milestone or a member changes a record (Write); generating
 * a credential or a link that carries one grants access (Write); restoring or rebuilding a machine or a
 * database from a backup or an image overwrites it (Destructive); creating a job, a run or a prediction
 * starts it (Execute). Anything else keeps the lexicon's category.
 */
export function categoryWithObject(entry: LexEntry, following: readonly string[]): LexEntry['category'] {
  if (entry.category === 'Destructive' && restorable(entry, following)) return 'Write';
  if (entry.lemma === 'replace') return replacesWhole(following) ? 'Destructive' : entry.category;
  // "Connect related entries" links them (Write); "connect to the IMAP server" opens a session (Read).
  if (entry.lemma === 'connect' || entry.lemma === 'disconnect') {
    const head = objectHead(following);
    return head !== undefined && LINKED.has(head) ? 'Write' : entry.category;
  }
  // "Stop a running pipeline job", `stop_vm_deploy_order`: the work under way is lost.
  if (STOPPING.has(entry.lemma)) return objectPhrase(following).object.some((w) => WORK_UNDER_WAY.has(w)) ? 'Destructive' : entry.category;
  if (entry.lemma === 'create') {
    const head = objectHead(following);
    return head !== undefined && JOBS.has(head) ? 'Execute' : entry.category;
  }
  if (entry.lemma === 'generate') return grantsAccess(objectPhrase(following).object) ? 'Write' : entry.category;
  // "Restore a droplet from a backup", "rebuild the server from an image", "revert the VM to a
  // snapshot": the disk is overwritten.
  // A snapshot of one stores a backup image (Write); of a page or a screen, it reads.
  if (REIMAGING.has(entry.lemma)) {
    const head = objectHead(following);
    if (head === undefined || !REIMAGED.has(head)) return entry.category;
    return entry.lemma === 'snapshot' ? 'Write' : 'Destructive';
  }
  if (entry.lemma === 'schedule' || entry.lemma === 'reset' || entry.lemma === 'rollback' || entry.lemma === 'promote') {
    const head = objectHead(following);
    if (head === undefined) return entry.category;
    // "Promote a build to production" deploys it; "promote a milestone", "promote a member" changes a record.
    if (entry.lemma === 'promote') return PROMOTED_RECORDS.has(head) ? 'Write' : entry.category;
    // "Schedules a message to be deleted", "reset the settings, erasing all data": the loss still decides.
    const loses = following.slice(0, 3 * OBJECT_REACH).some((w) => LOSS_AFTER.has(w)) || following.includes('permanently');
    if (entry.lemma === 'schedule' && BOOKED.has(head) && !loses) return 'Write';
    // "Reset PHP extensions", "reset the hostname": back to defaults that can be changed again.
    if (entry.lemma === 'reset' && SETTINGS.has(head) && !loses) return 'Write';
    // "Rollback the deployment": an earlier release goes out again, as a deploy does.
    if (entry.lemma === 'rollback' && DEPLOYED.has(head)) return 'Execute';
  }
  // `build_info`, "the deploy status", "run logs": the verb names what the information is about.
  if (
    entry.category === 'Execute' &&
    !entry.hard &&
    following.length > 0 &&
    ABOUT_IT.has(following[0]!) &&
    (following.length === 1 || !/^[a-z]/.test(following[1]!) || PREPOSITIONS.has(following[1]!))
  )
    return 'Read';
  // Starting a search reads; stopping, pausing or scheduling one does not.
  if (entry.category !== 'Execute' || entry.hard || !STARTING.has(entry.lemma)) return entry.category;
  // "Starts a conversation with a person": a first message is sent, nothing runs (Write).
  if (entry.lemma === 'start' && CONVERSATIONS.has(objectHead(following) ?? '')) return 'Write';
  const object = following.slice(0, OBJECT_REACH);
  // The rest of the clause may still say it writes ("a SQL query that may update rows").
  if (following.slice(0, 2 * OBJECT_REACH).some((w) => WRITING.has(w))) return entry.category;
  return object.some((w) => READ_ACTIVITY.has(w) || w === 'read-only' || w === 'readonly') ? 'Read' : entry.category;
}

/** Words that make a replacement wholesale, and what it then throws away besides data. */
const WHOLE = new Set(['all', 'entire', 'whole', 'every']);
const REPLACED_WHOLESALE = new Set(['layout', 'layouts', 'content', 'contents', 'cards', 'items', 'entries', 'body', 'bodies', 'code']);

/**
 * "Replaces all data in a table", "bulk-replaces the whole card layout": what was there is gone, as an
 * overwrite loses it (Destructive). Replacing a value, or all occurrences of a string, edits (Write).
 */
function replacesWhole(following: readonly string[]): boolean {
  const { clause, cut } = objectPhrase(following);
  const words = cut === -1 ? clause : clause.slice(0, cut);
  return words.some((w) => WHOLE.has(w)) && words.some((w) => DATA.has(w) || REPLACED_WHOLESALE.has(w));
}

/** Verbs whose category can change with their object: only for these are the words after them read. */
export function readsItsObject(entry: LexEntry): boolean {
  return (
    (entry.category === 'Execute' && !entry.hard) ||
    entry.category === 'Destructive' ||
    entry.lemma === 'generate' ||
    entry.lemma === 'create' ||
    entry.lemma === 'replace' ||
    entry.lemma === 'connect' ||
    entry.lemma === 'disconnect' ||
    STOPPING.has(entry.lemma) ||
    REIMAGING.has(entry.lemma)
  );
}

/** "an API key", "upload URL", "a presigned link": what a generating verb makes is a grant. */
function grantsAccess(object: readonly string[]): boolean {
  const head = object.at(-1);
  if (head === undefined || object.some((w) => NOT_SECRET.has(w))) return false;
  if (head === 'token' || head === 'tokens') return object.some((w) => TOKEN_KINDS.has(w));
  return CREDENTIALS.has(head) || (LINKS.has(head) && object.some((w) => GRANTING.has(w)));
}

/** The words after a description token, lowercased, hyphenated words kept whole. */
export function wordsAfter(text: string, start: number, word: string): string[] {
  const window = text.slice(start + word.length, start + word.length + 80);
  // An object never runs past its sentence: "Drops a foreign key constraint. Requires 'ddl' permission."
  const end = window.search(/[.;!?](?=\s|$)|\n/);
  return (end === -1 ? window : window.slice(0, end)).toLowerCase().match(/[a-z][a-z'-]*/g) ?? [];
}

/** The word is a verb's plain form (not an -s, -ing or name-only form): what may lead a name past its first word. */
export function isBareVerb(entry: LexEntry | undefined, word: string): boolean {
  return entry !== undefined && entry.finite && entry.nameOnly !== true && entry.lemma === word;
}

/**
 * Sentences after the first are usage notes, parameter advice ("Set include_summary to add one"),
 * pointers to sibling tools, caveats and examples ("delete it with delete_cluster when finished"): what
 * they say is not this tool's own action, so only the lead sentence's verbs lead.
 */
const LEADING_SENTENCES = 1;

/** A description token that leads the lead sentence. */
export function isLeading(t: DescToken): boolean {
  return t.lead && t.sentence < LEADING_SENTENCES;
}

/** Hard evidence comes from the lead sentence alone: later ones may describe other tools or advice. */
export function isHardLead(t: DescToken, entry: LexEntry): boolean {
  return entry.hard && t.lead && t.sentence === 0;
}

/**
 * Index of the name's leading verb and any verbs joined to it by and/or (`create_or_update_file`).
 * Past the first word only a bare verb leads (`user_remove`, `repo.delete`): an -s form there is
 * a plural noun (`console_messages`), an -ing form a gerund; a name-only verb leads only as the first word.
 */
export function leadingNameVerbs(view: ToolView): number[] {
  // Several rules ask; the answer depends on the view alone.
  view.leadNameVerbs ??= findLeadingNameVerbs(view);
  return view.leadNameVerbs;
}

/**
 * A bare verb, then a preposition, then the last word (`stories_get_by_external_link`): the last word
 * ends a phrase of the earlier verb's, it is not the name's action even where the server names
 * verb last.
 */
function objectOfPreposition(view: ToolView): boolean {
  const { nameWords, lexicon } = view;
  // A last word that destroys or pays (`comment_on_issue_delete`) is the action whatever comes before.
  if (lexicon.forms.get(nameWords.at(-1) as string)?.hard === true) return false;
  const verbAt = nameWords.findIndex((w, i) => i < nameWords.length - 2 && isBareVerb(lexicon.forms.get(w), w));
  return verbAt !== -1 && nameWords.slice(verbAt + 1, -1).some((w) => PREPOSITIONS.has(w));
}

/** Word `i` of the name ends one of the lexicon's idioms (`go_forward`): not the verb it looks like. */
export function nameIdiomAt(view: ToolView, i: number): boolean {
  const words = view.nameWords;
  return i > 0 && isIdiom(view.lexicon, words[i] as string, words[i - 1] as string, words[i - 2] ?? '');
}

function findLeadingNameVerbs(view: ToolView): number[] {
  const { nameWords, lexicon } = view;
  const lastAt = nameWords.length - 1;
  const last = lexicon.forms.get(nameWords[lastAt] as string);
  // A role name (`deploy-services-reader`) or a noun-first server's name (`deploy_plan_get`) ends with its
  // action; after a preposition the role is whose things are meant (`search_by_sender`), not the action.
  if (lastAt >= 2 && last?.agent === true && !PREPOSITIONS.has(nameWords[lastAt - 1] as string)) return [lastAt];
  if (lastAt >= 1 && view.verbLast && isBareVerb(last, nameWords[lastAt] as string) && !nameIdiomAt(view, lastAt) && !objectOfPreposition(view))
    return [lastAt];
  const lead: number[] = [];
  for (let i = 0; i < nameWords.length; i++) {
    const entry = lexicon.forms.get(nameWords[i] as string);
    if (!entry?.finite) continue;
    if (i > 0 && (nameWords[i] !== entry.lemma || nameIdiomAt(view, i))) continue;
    // Name-only verbs are nouns as often as verbs (`file_type`, `network_request`): they lead only first.
    if (i > 0 && entry.nameOnly === true) continue;
    // A first word in -s form is a plural noun when a bare verb follows (`labels_list`, `messages_send`).
    if (i === 0 && nameWords[0] !== entry.lemma && nameWords.slice(1).some((w) => isBareVerb(lexicon.forms.get(w), w))) continue;
    lead.push(i);
    for (let j = i + 1; j + 1 < nameWords.length && lexicon.conjunctions.has(nameWords[j] as string); j += 2) {
      if (lexicon.forms.get(nameWords[j + 1] as string)?.finite) lead.push(j + 1);
      else break;
    }
    break;
  }
  return lead;
}
