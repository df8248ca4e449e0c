import { access } from "node:fs/promises";

/**
 * TEST ONLY. When the environment variable `variable` names a file, writes one line to stderr saying so
 * and waits until that file exists; otherwise returns at once. Fault tests use it to hold a process at an
 * exact point (a daemon after admitting runs, a worker before claiming its run) and kill it there. Off
 * unless the variable is set; no setting of `bosun.yaml` turns it on.
 *
 * @example
 * await pauseForTest("BOSUN_TEST_PAUSE_AFTER_ADMISSION"); // BOSUN_TEST_PAUSE_AFTER_ADMISSION=/tmp/go
 */
export async function pauseForTest(variable: string): Promise<void> {
  const file = process.env[variable];
  if (!file) return;
  process.stderr.write(`${variable}: paused until ${file} exists (pid ${process.pid})\n`);
  for (;;) {
    try {
      await access(file);
      return;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}
