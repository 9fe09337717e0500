// Typed errors a user can act on. The CLI maps every McpRiskError to one line and exit code 2.

export const ERROR_CODES = {
  USAGE: 'The command line is not valid.',
  INPUT_NOT_FOUND: 'An input file does not exist or cannot be read.',
  INPUT_INVALID: 'An input file is not valid JSON or YAML.',
  NOT_A_TOOL_LIST: 'An input file parsed but holds no tool list or MCP client config.',
  SERVER_FAILED: 'The server could not be scanned (it exited, hung, or did not speak MCP).',
  DB_ERROR: 'The results database could not be opened or written.',
  NOT_FOUND: 'The server or tool asked for is not in the database.',
  OUTPUT_FAILED: 'An output file could not be written.',
  SANDBOX_UNAVAILABLE: '--sandbox was asked for and bubblewrap cannot run here.',
  BUSY: 'Another refresh is running on the same database.',
  NO_SERVERS: 'A client config, or discovery across the client configs, found no server to scan.',
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

export class McpRiskError extends Error {
  readonly code: ErrorCode;
  /** What the user can do next, shown after the message. */
  readonly hint?: string;

  constructor(code: ErrorCode, message: string, options?: { hint?: string; cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'McpRiskError';
    this.code = code;
    if (options?.hint !== undefined) this.hint = options.hint;
  }
}
