// The names of the policy formats, apart from their renderers, so the command line can offer them cheaply.
export const POLICY_FORMATS = ['policylayer', 'intercept', 'claude-code', 'codex'] as const;
export type PolicyFormat = (typeof POLICY_FORMATS)[number];
