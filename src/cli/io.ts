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
}
