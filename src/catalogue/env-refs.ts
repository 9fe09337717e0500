// `${NAME}` references in catalogue env and header values: checking them, listing them, expanding them.
import { McpRiskError } from '../model/index.js';

/**
 * `${NAME}` is a reference; `$${` writes a literal `${`; any other `$` is literal, so values such as
 * `pa$$word` need no escaping. The second branch catches a `${` that is neither, so a typo is reported.
 */
const TOKEN = /\$\$\{|\$\{([A-Za-z_][A-Za-z0-9_]*)\}|\$\{/g;

/** Why the value is not well formed, or undefined when it is. */
export function envRefProblem(value: string): string | undefined {
  for (const match of value.matchAll(TOKEN)) {
    if (match[0] === '${') {
      const excerpt = value.slice(match.index, match.index + 24);
      return `has "${excerpt}" which is not a \${NAME} reference (write $\${ for a literal \${)`;
    }
  }
  return undefined;
}

/** The variable names the values refer to, in first-seen order, without duplicates. */
export function referencedVariables(values: Record<string, string>): string[] {
  const names = new Set<string>();
  for (const value of Object.values(values)) {
    for (const match of value.matchAll(TOKEN)) if (match[1] !== undefined) names.add(match[1]);
  }
  return [...names];
}

/**
 * Expands every `${NAME}` from `env` (explicitly named variables only; nothing else of ours leaks).
 * A missing variable is a usage error naming `owner`, the catalogue server the values belong to.
 */
export function expandEnvRefs(values: Record<string, string>, env: NodeJS.ProcessEnv, owner?: string): Record<string, string> {
  const expanded: Record<string, string> = {};
  for (const [key, value] of Object.entries(values)) {
    const problem = envRefProblem(value);
    if (problem !== undefined) {
      throw new McpRiskError('USAGE', `catalogue server ${owner ?? '?'}: ${key} ${problem}`);
    }
    expanded[key] = value.replace(TOKEN, (whole: string, name: string | undefined) => {
      if (name === undefined) return '${';
      const found = env[name];
      if (found === undefined) {
        throw new McpRiskError('USAGE', `catalogue server ${owner ?? '?'} needs $${name}, which is not set`, {
          hint: `Set ${name} in the environment, or edit the catalogue entry.`,
        });
      }
      return found;
    });
  }
  return expanded;
}
