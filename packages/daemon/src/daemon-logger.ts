export type DaemonLogLevel = "info" | "warning" | "error";
export type DaemonLogger = (level: DaemonLogLevel, message: string) => void;

/** Writes `[bosun-daemon] <level> <message>` lines to stderr. */
export const stderrLogger: DaemonLogger = (level, message) => {
  process.stderr.write(`${new Date().toISOString()} [bosun-daemon] ${level} ${message}\n`);
};
