// Every text a server sends, as (path, text) pairs: what the poisoning analyser reads.
import type { ToolView } from '../classify/view.js';
import type { ServerSnapshot, ToolDefinition } from '../model/index.js';
import type { FieldRole } from './rules.js';
import { scanText } from './scan.js';
import type { ScanState } from './scan.js';

export interface TextField {
  path: string;
  text: string;
  /** Prose, a name (tool, parameter, prompt, resource) or a value (an enum value, a default). */
  role: FieldRole;
}

/** How many items of a list default are read: a hostile schema may send a long one. */
const MAX_DEFAULT_ITEMS = 50;

/** The items of a list default (`["~/.kube/config", ...]`), which is sent as it is, like a single one; bounded. */
export function listDefault(value: unknown): unknown[] {
  return Array.isArray(value) ? value.slice(0, MAX_DEFAULT_ITEMS) : [];
}

/** Longest stretch of one field the analyser reads; descriptions are bounded at ingest already. */
export const MAX_FIELD_CHARS = 20_000;

const field = (path: string, text: unknown, role: FieldRole = 'text'): TextField[] =>
  typeof text === 'string' && text !== '' ? [{ path, text: text.length > MAX_FIELD_CHARS ? text.slice(0, MAX_FIELD_CHARS) : text, role }] : [];

/** Name, title, description, annotation title, and each parameter's name, description, enum values and default. */
export function toolTextFields(definition: ToolDefinition, view: ToolView): TextField[] {
  const fields = [...field('name', definition.name, 'name'), ...field('title', definition.title), ...field('description', definition.description)];
  const annotations = definition.annotations as { title?: unknown } | undefined;
  fields.push(...field('annotations.title', annotations?.title));
  for (const param of view.params) {
    fields.push(...field(param.path, param.name, 'name'), ...field(`${param.path}.description`, param.description));
    param.enumValues?.forEach((v, i) => fields.push(...field(`${param.path}.enum[${i}]`, v, 'value')));
    fields.push(...field(`${param.path}.default`, param.defaultValue, 'value'));
    listDefault(param.defaultValue).forEach((v, i) => fields.push(...field(`${param.path}.default[${i}]`, v, 'value')));
  }
  return fields;
}

/**
 * Scans the texts toolTextFields lists straight from the definition and the view, without gathering
 * them: this runs for every tool, and nearly every tool is done after it.
 */
export function scanToolFields(definition: ToolDefinition, view: ToolView, state: ScanState): void {
  state.reset();
  scanText(definition.name, state, 'name');
  scanText(definition.description ?? '', state);
  if (definition.title) scanText(definition.title, state);
  const title = (definition.annotations as { title?: unknown } | undefined)?.title;
  if (typeof title === 'string') scanText(title, state);
  for (const p of view.params) {
    scanText(p.name, state, 'name');
    scanText(p.description, state);
    if (p.enumValues) for (const v of p.enumValues) scanText(v, state, 'value');
    const value = p.defaultValue;
    if (typeof value === 'string') scanText(value, state, 'value');
    else if (Array.isArray(value)) for (const v of listDefault(value)) if (typeof v === 'string') scanText(v, state, 'value');
  }
}

/** What a server says about itself: serverInfo, instructions, and its prompts' and resources' names and descriptions. */
export function serverTextFields(server: Pick<ServerSnapshot, 'serverInfo' | 'instructions' | 'prompts' | 'resources'>): TextField[] {
  const fields = [
    ...field('serverInfo.name', server.serverInfo?.name, 'name'),
    ...field('serverInfo.title', server.serverInfo?.title),
    ...field('instructions', server.instructions),
  ];
  server.prompts?.forEach((p, i) => fields.push(...field(`prompts[${i}].name`, p.name, 'name'), ...field(`prompts[${i}].description`, p.description)));
  server.resources?.forEach((r, i) =>
    fields.push(
      ...field(`resources[${i}].name`, r.name, 'name'),
      ...field(`resources[${i}].description`, r.description),
      ...field(`resources[${i}].uri`, r.uri, 'value'),
    ),
  );
  return fields;
}
