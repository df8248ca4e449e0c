import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmdirSync,
  statSync,
  writeFileSync,
} from "node:fs";
import path from "node:path";

/**
 * Memory limits through cgroups (v1 `memory` controller or v2 `memory.max`). A container with
 * `resources.limits.memory` gets its own cgroup; the launcher script joins it before exec, so
 * the kernel's OOM killer enforces the limit and the kill is reported as `OOMKilled`.
 */
export interface MemoryCgroups {
  readonly available: boolean;
  readonly reason: string;
  /** Creates a cgroup limited to `bytes`; returns the `cgroup.procs` path to join. */
  create(name: string, bytes: number): string;
  /** Whether the cgroup's OOM killer fired. */
  oomKilled(name: string): boolean;
  remove(name: string): void;
  removeAll(): void;
}

export function memoryCgroups(instance: string): MemoryCgroups {
  const v1 = "/sys/fs/cgroup/memory";
  const v2 = "/sys/fs/cgroup";
  const isV2 = existsSync(path.join(v2, "cgroup.controllers"));
  const root = isV2 ? path.join(v2, instance) : path.join(v1, instance);
  sweepStale(path.dirname(root));
  let available = false;
  let reason = "";
  try {
    if (!isV2 && !existsSync(v1)) throw new Error("no memory cgroup controller mounted");
    mkdirSync(root, { recursive: true });
    if (isV2) writeFileSync(path.join(root, "cgroup.subtree_control"), "+memory");
    available = true;
  } catch (error) {
    reason = `memory limits cannot be enforced here: ${(error as Error).message}`;
  }
  const dir = (name: string) => path.join(root, name);
  const created = new Set<string>();
  return {
    available,
    reason,
    create(name, bytes) {
      const d = dir(name);
      mkdirSync(d, { recursive: true });
      created.add(name);
      if (isV2) {
        writeFileSync(path.join(d, "memory.max"), String(Math.floor(bytes)));
        try {
          writeFileSync(path.join(d, "memory.swap.max"), "0");
        } catch {
          // Swap accounting is optional.
        }
      } else {
        writeFileSync(path.join(d, "memory.limit_in_bytes"), String(Math.floor(bytes)));
        try {
          writeFileSync(path.join(d, "memory.memsw.limit_in_bytes"), String(Math.floor(bytes)));
        } catch {
          // Swap accounting is optional.
        }
      }
      return path.join(d, "cgroup.procs");
    },
    oomKilled(name) {
      try {
        if (isV2)
          return (
            /oom_kill (\d+)/.exec(readFileSync(path.join(dir(name), "memory.events"), "utf8"))?.[1] !== "0"
          );
        const control = readFileSync(path.join(dir(name), "memory.oom_control"), "utf8");
        const kills = /oom_kill (\d+)/.exec(control)?.[1];
        if (kills !== undefined) return kills !== "0";
        return readFileSync(path.join(dir(name), "memory.failcnt"), "utf8").trim() !== "0";
      } catch {
        return false;
      }
    },
    remove(name) {
      try {
        rmdirSync(dir(name));
      } catch {
        // Still has processes or already gone.
      }
      created.delete(name);
    },
    removeAll() {
      for (const name of [...created]) this.remove(name);
      try {
        rmdirSync(root);
      } catch {
        // Not empty or gone.
      }
    },
  };
}

/** Removes cgroups left by sims whose process has died (named `kube-sim-<pid>-...`). */
function sweepStale(parent: string): void {
  let entries: string[];
  try {
    entries = readdirSync(parent);
  } catch {
    return;
  }
  for (const name of entries) {
    const m = /^kube-sim-(\d+)-/.exec(name);
    if (!m) continue;
    try {
      process.kill(Number(m[1]), 0);
      continue;
    } catch {
      // Dead owner: remove below.
    }
    const dir = path.join(parent, name);
    try {
      for (const child of readdirSync(dir)) {
        const sub = path.join(dir, child);
        if (statSync(sub).isDirectory()) rmdirSync(sub);
      }
      rmdirSync(dir);
    } catch {
      // Still busy.
    }
  }
}
