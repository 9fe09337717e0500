// What every command is handed: where to print, the environment to read, and the exit codes it returns.
export const EXIT = { OK: 0, THRESHOLD: 1, ERROR: 2 } as const;

/** Everything a command reads from or writes to its surroundings, so `run()` works in-process. */
export interface Io {
  out: (text: string) => void;
  err: (text: string) => void;
  /** ANSI colours in tables. */
  color: boolean;
  /** Read instead of process.env: database path, LLM settings, package cache, ${VAR} in catalogues. */
  env: NodeJS.ProcessEnv;
  /** Whether stderr is a terminal (refresh draws a progress bar there). */
  isTTY: boolean;
  /** --quiet: no table, summary, progress or notes; errors, warnings and asked-for output (JSON, files) stay. */
  quiet?: boolean;
  /** JSON without indentation: set for a stdout that is not a terminal, or by --compact (--pretty unsets it). */
  compactJson?: boolean;
}

/** A line that says what happened (a file written, a config read, progress): silenced by --quiet. */
export function note(io: Pick<Io, 'err' | 'quiet'>, text: string): void {
  if (io.quiet !== true) io.err(text);
}

/**
 * Whether to colour stdout when no --color / --no-color is given: FORCE_COLOR (unless 0 or false) turns
 * it on, NO_COLOR turns it off when it is set to anything but the empty string (no-color.org), and
 * otherwise a terminal gets colour and a pipe does not.
 */
export function colorFromEnv(env: NodeJS.ProcessEnv, isTTY: boolean): boolean {
  const force = env['FORCE_COLOR'];
  if (force !== undefined && force !== '') return force !== '0' && force.toLowerCase() !== 'false';
  const no = env['NO_COLOR'];
  if (no !== undefined && no !== '') return false;
  return isTTY;
}
