// The tool name's leading verb (after any server prefix) says what the tool does.
import { defineRule } from '../rule.js';
import type { LexEntry } from '../lexicon.js';
import { categoryWithObject, isLeading, leadingNameVerbs, readsItsObject, wordsAfter } from '../verb-position.js';
import type { ToolView } from '../view.js';

export default defineRule({
  meta: {
    id: 'verb.name',
    docs: "The tool name's leading verb (after any server prefix) says what the tool does; destructive and payment verbs are hard evidence.",
    confidence: 'high',
    category: 'per-match',
    hard: true,
    version: 10,
  },
  check(view, ctx) {
    for (const i of leadingNameVerbs(view)) {
      const word = view.nameWords[i] as string;
      const entry = view.lexicon.forms.get(word) as LexEntry;
      let category = categoryWithObject(entry, view.nameWords.slice(i + 1));
      // The name is the description's first clause cut short: `remove_label` of "Remove a label from an
      // email", `run_shopifyql` of "Run a ShopifyQL analytics query". Where the name's own words leave
      // the verb as the lexicon has it and the description leads with the same verb, its fuller object
      // decides; a destroying verb only gives way to a restorable object (Write).
      if (category === entry.category && readsItsObject(entry)) {
        const described = describedCategory(view, entry);
        if (described !== undefined && (entry.category !== 'Destructive' || described === 'Write')) category = described;
      }
      ctx.report({ path: 'name', match: word, category, hard: entry.hard });
    }
  },
  cases: {
    fire: [
      { tool: { name: 'cancel_run' }, report: { path: 'name', category: 'Destructive', hard: true } },
      { tool: { name: 'flowforge_cancel_run' }, context: { serverName: 'Flowforge' }, report: { path: 'name', category: 'Destructive', hard: true } },
      { tool: { name: 'deleteUserById' }, report: { path: 'name', category: 'Destructive', hard: true } },
      { tool: { name: 'repo.delete' }, report: { path: 'name', category: 'Destructive', hard: true } },
      { tool: { name: 'read_file' }, report: { path: 'name', category: 'Read' } },
      { tool: { name: 'create_issue' }, report: { path: 'name', category: 'Write' } },
      { tool: { name: 'run_workflow' }, report: { path: 'name', category: 'Execute' } },
      { tool: { name: 'refund_payment' }, report: { path: 'name', category: 'Financial', hard: true } },
      { tool: { name: 'discord.member.ban' }, report: { path: 'name', category: 'Destructive' } },
      { tool: { name: 'pause_workflow' }, report: { path: 'name', category: 'Write' }, note: 'paused, it resumes; nothing new runs' },
      { tool: { name: 'restart_workflow' }, report: { path: 'name', category: 'Execute' }, note: 'it runs again' },
      { tool: { name: 'schedule_meeting' }, report: { path: 'name', category: 'Write' }, note: 'scheduling a meeting books it' },
      { tool: { name: 'schedule_backup_job' }, report: { path: 'name', category: 'Execute' }, note: 'a scheduled job runs on its own' },
      { tool: { name: 'reset_site_settings' }, report: { path: 'name', category: 'Write' }, note: 'settings go back to defaults' },
      { tool: { name: 'reset_database' }, report: { path: 'name', category: 'Destructive' }, note: 'a database reset loses its data' },
      { tool: { name: 'rollback_deployment' }, report: { path: 'name', category: 'Execute', hard: true }, note: 'an earlier release goes out again' },
      { tool: { name: 'promote_build' }, report: { path: 'name', category: 'Execute' }, note: 'a build goes to the next environment' },
      { tool: { name: 'promote_member_to_admin' }, report: { path: 'name', category: 'Write' }, note: 'a role changes' },
      { tool: { name: 'promote_read_replica' }, report: { path: 'name', category: 'Execute' }, note: 'a failover' },
      { tool: { name: 'rollback_transaction' }, report: { path: 'name', category: 'Destructive', hard: true }, note: 'the changes are discarded' },
      { tool: { name: 'select_option' }, report: { path: 'name', category: 'Write' }, note: 'a name-only verb, first' },
      { tool: { name: 'generate_upload_url' }, report: { path: 'name', category: 'Write' }, note: 'an upload URL carries a credential' },
      { tool: { name: 'generateApiKey' }, report: { path: 'name', category: 'Write' }, note: 'a new credential' },
      { tool: { name: 'generate_chart' }, report: { path: 'name', category: 'Read' }, note: 'output handed back' },
      { tool: { name: 'generate_cache_key' }, report: { path: 'name', category: 'Read' }, note: 'a computed key, no credential' },
      { tool: { name: 'rebuild-droplet' }, report: { path: 'name', category: 'Destructive' }, note: 'the disk is reimaged' },
      { tool: { name: 'restore_database' }, report: { path: 'name', category: 'Destructive' }, note: 'its current data is replaced' },
      { tool: { name: 'rebuild_search_index' }, report: { path: 'name', category: 'Execute' }, note: 'an index is rebuilt from its data' },
      { tool: { name: 'restore_file_version' }, report: { path: 'name', category: 'Write' } },
      { tool: { name: 'snapshot-droplet' }, report: { path: 'name', category: 'Write' }, note: 'a backup image is stored' },
      { tool: { name: 'browser_snapshot' }, context: { serverName: 'browser' }, report: { path: 'name', category: 'Read' }, note: 'a page is read' },
      { tool: { name: 'start_search' }, report: { path: 'name', category: 'Read' }, note: 'running a search reads' },
      { tool: { name: 'run_update_query' }, report: { path: 'name', category: 'Execute' }, note: 'an update query writes' },
      { tool: { name: 'stop_search' }, report: { path: 'name', category: 'Write' }, note: 'stopping a search is not reading, and starts nothing' },
      { tool: { name: 'stop_pipeline_job_run' }, report: { path: 'name', category: 'Destructive' }, note: 'the work under way is lost, as a cancel loses it' },
      { tool: { name: 'stop_vm_deploy_order' }, report: { path: 'name', category: 'Destructive' }, note: 'a deployment stopped halfway' },
      { tool: { name: 'stop_instance' }, report: { path: 'name', category: 'Write' }, note: 'a machine stopped starts again as it was' },
      { tool: { name: 'get_build_info' }, report: { path: 'name', category: 'Read' }, note: 'the read verb leads' },
      { tool: { name: 'build_info' }, report: { path: 'name', category: 'Read' }, note: 'information about a build, not a build' },
      { tool: { name: 'deploy_status' }, report: { path: 'name', category: 'Read' } },
      { tool: { name: 'build_image' }, report: { path: 'name', category: 'Execute' }, note: 'an object that is no information: it builds' },
      { tool: { name: 'follow_user' }, report: { path: 'name', category: 'Write' }, note: 'undone by unfollow' },
      {
        tool: { name: 'run_shopifyql', description: 'Run a ShopifyQL analytics query.' },
        report: { path: 'name', category: 'Read' },
        note: 'the description says what is run: a query',
      },
      {
        tool: { name: 'run_pipeline', description: 'Run a pipeline on the main branch.' },
        report: { path: 'name', category: 'Execute' },
      },
      { tool: { name: 'like_tweet' }, report: { path: 'name', category: 'Write' } },
      { tool: { name: 'start_conversation' }, report: { path: 'name', category: 'Write' }, note: 'a first message is sent; nothing runs' },
      { tool: { name: 'start_job' }, report: { path: 'name', category: 'Execute' } },
      { tool: { name: 'get_started' }, report: { path: 'name', category: 'Read' }, note: 'a guide: "get started" starts nothing' },
      { tool: { name: 'create_prediction' }, report: { path: 'name', category: 'Execute' }, note: 'a prediction created runs' },
      { tool: { name: 'create_prediction_note' }, report: { path: 'name', category: 'Write' }, note: 'a note about one is stored' },
      { tool: { name: 'create_invoice' }, report: { path: 'name', category: 'Write' }, note: 'the name verb is Write; money.object makes the tool Financial' },
      { tool: { name: 'remove_port' }, report: { path: 'name', category: 'Write', hard: true }, note: 'a port is exposed again' },
      {
        tool: { name: 'remove_label', description: 'Remove a label from an email.' },
        report: { path: 'name', category: 'Write', hard: true },
        note: 'the description says what the name cuts short: a label taken off',
      },
      {
        tool: { name: 'remove_from_basket', description: 'Remove an item from the cart.' },
        report: { path: 'name', category: 'Write', hard: true },
        note: 'an item taken out of a cart',
      },
      {
        tool: { name: 'remove_rows', description: 'Remove rows from the table.' },
        report: { path: 'name', category: 'Destructive', hard: true },
        note: 'rows are data: the description confirms the loss',
      },
      {
        tool: { name: 'delete_label', description: 'Removes a label from an email.' },
        report: { path: 'name', category: 'Destructive', hard: true },
        note: 'the description leads with another verb: the name keeps its own reading',
      },
      { tool: { name: 'deploy-services-reader' }, report: { path: 'name', category: 'Read' }, note: 'a role name ends with its action' },
      { tool: { name: 'labels_list' }, report: { path: 'name', category: 'Read' }, note: 'a plural noun first, the verb last' },
      {
        tool: { name: 'delete_issue_emoji_reaction' },
        report: { path: 'name', category: 'Write', hard: true },
        note: 'a reaction is put back by another call',
      },
      { tool: { name: 'clear_page_cache' }, report: { path: 'name', category: 'Write' }, note: 'a cache refills itself' },
      {
        tool: { name: 'remove_contact_from_tag' },
        report: { path: 'name', category: 'Write', hard: true },
        note: 'detaching ends a membership; the contact stays',
      },
      { tool: { name: 'delete_file_from_repo' }, report: { path: 'name', category: 'Destructive', hard: true }, note: 'deleting from a place still destroys' },
      { tool: { name: 'remove_cached_credentials' }, report: { path: 'name', category: 'Destructive', hard: true } },
      {
        tool: { name: 'remove_rows_from_table' },
        report: { path: 'name', category: 'Destructive', hard: true },
        note: 'rows are data, wherever they are removed from',
      },
      {
        tool: { name: 'delete_cache_cluster' },
        report: { path: 'name', category: 'Destructive', hard: true },
        note: 'cache only qualifies the head, a cluster',
      },
      { tool: { name: 'unlink_domain_from_site' }, report: { path: 'name', category: 'Write', hard: true }, note: 'unlinking undoes an association' },
      { tool: { name: 'unlink_file' }, report: { path: 'name', category: 'Destructive', hard: true }, note: 'unlinking a file deletes it' },
      {
        tool: { name: 'deploy_plan_get' },
        context: { siblingNames: ['deploy_plan_get', 'stack_create', 'stack_delete', 'output_list'] },
        report: { path: 'name', category: 'Read' },
        note: 'a noun-first server: the first word is a namespace',
      },
    ],
    pass: [
      { tool: { name: 'sequentialthinking' } },
      { tool: { name: 'deleted_items_report' } },
      { tool: { name: 'network_request' }, note: 'a name-only verb past the first word is a noun' },
      { tool: { name: 'file_type' } },
    ],
  },
});

/** What the description's first leading use of the same verb reads as, with its object. */
function describedCategory(view: ToolView, entry: LexEntry): LexEntry['category'] | undefined {
  for (const t of view.descTokens) {
    if (!t.lead || t.negated || !isLeading(t) || view.lexicon.forms.get(t.word)?.lemma !== entry.lemma) continue;
    return categoryWithObject(entry, wordsAfter(view.description, t.start, t.word));
  }
  return undefined;
}
