/**
 * What the system suites need from the machine: the cluster suites (Kubernetes on kube-sim, the Helm
 * chart installed on it) need root, network and mount namespaces and `setpriv`; the chart's database
 * image needs Debian's PostgreSQL server; the browser suite needs Chromium. `.ci/run` installs all of
 * it, and the step-queue suites' Redis backend needs Debian's `redis-server`. On a machine without them `npm test` skips those suites, saying what is missing, so that the
 * README's `npm install && npm test` works anywhere; with BOSUN_REQUIRE_SYSTEM_SUITES=1 (as in CI) a
 * missing prerequisite fails the suite instead, so it can never be skipped unnoticed.
 */
import { existsSync, readdirSync } from "node:fs";
import { namespaceSupport } from "@bosun/kube-sim";

export const REQUIRE_SYSTEM_SUITES_ENV = "BOSUN_REQUIRE_SYSTEM_SUITES";

export type SystemNeed = "cluster" | "postgres-server" | "chromium" | "redis-server";

async function missingFor(need: SystemNeed): Promise<string | null> {
  switch (need) {
    case "cluster": {
      const namespaces = await namespaceSupport();
      if (!namespaces.ok) return namespaces.reason;
      return existsSync("/usr/bin/setpriv") || existsSync("/bin/setpriv")
        ? null
        : "setpriv is not installed (Debian: apt-get install -y util-linux)";
    }
    case "postgres-server": {
      const versions = existsSync("/usr/lib/postgresql") ? readdirSync("/usr/lib/postgresql") : [];
      return versions.length > 0
        ? null
        : "no PostgreSQL server under /usr/lib/postgresql (Debian: apt-get install -y postgresql)";
    }
    case "redis-server": {
      const redis = process.env.BOSUN_REDIS_SERVER ?? "/usr/bin/redis-server";
      return existsSync(redis)
        ? null
        : `no redis-server at ${redis} (Debian: apt-get install -y redis-server, or set BOSUN_REDIS_SERVER)`;
    }
    case "chromium": {
      const chromium = process.env.BOSUN_CHROMIUM ?? "/usr/bin/chromium";
      return existsSync(chromium)
        ? null
        : `no Chromium at ${chromium} (Debian: apt-get install -y chromium, or set BOSUN_CHROMIUM)`;
    }
  }
}

/**
 * Why a system suite cannot run here ("" when it can). Throws instead when BOSUN_REQUIRE_SYSTEM_SUITES=1.
 *
 * @example
 * const missing = await systemSuiteMissing("cluster", "postgres-server");
 * describe.skipIf(missing !== "")(`the chart on kube-sim${missing && ` (skipped: ${missing})`}`, () => { ... });
 */
export async function systemSuiteMissing(...needs: readonly SystemNeed[]): Promise<string> {
  const reasons = (await Promise.all(needs.map(missingFor))).filter((r): r is string => r !== null);
  const missing = reasons.join("; ");
  if (missing && process.env[REQUIRE_SYSTEM_SUITES_ENV] === "1")
    throw new Error(`${REQUIRE_SYSTEM_SUITES_ENV}=1 but this machine cannot run the suite: ${missing}`);
  return missing;
}
