/** The CLI's exit codes, the same for every command (README, `method-guard --help`). */
export const EXIT = {
  /** Nothing wrong. */
  ok: 0,
  /** The command ran and found errors (lint errors, invalid settings). */
  findings: 1,
  /** Bad usage, or the input could not be loaded (missing file, not an itty router, bad TOML). */
  usage: 2,
} as const;

/** A subcommand: `run` gets the arguments after its name and returns the exit code. */
export interface Command {
  run(args: readonly string[]): Promise<number>;
}
