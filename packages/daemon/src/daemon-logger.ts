/** Levels of the daemon's log lines. */
export type DaemonLogLevel = "info" | "warning" | "error";
/** Where the daemon's loops write their log lines (`startDaemon`'s default: stderr). */
export type DaemonLogger = (level: DaemonLogLevel, message: string) => void;

/** Writes `[bosun-daemon] <level> <message>` lines to stderr. */
export const stderrLogger: DaemonLogger = (level, message) => {
  process.stderr.write(`${new Date().toISOString()} [bosun-daemon] ${level} ${message}\n`);
};
