/**
 * How to start the `bosun` command in a child process: `file` with `args` before the subcommand (e.g.
 * the Node binary and the CLI's `bin/bosun.js`). The CLI package knows where it is installed and passes
 * it down; the packages that start code servers and run workers take it instead of guessing a path.
 */
export interface BosunCommand {
  readonly file: string;
  readonly args: readonly string[];
}
