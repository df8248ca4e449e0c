import { describe, expect, it } from "vitest";
import {
  accountFiles,
  effectiveSecurityContext,
  nonRootViolation,
  parsePasswd,
  processIdentity,
  setprivArgv,
} from "./security-context.ts";

const PASSWD =
  "root:x:0:0:root:/root:/bin/bash\npostgres:x:101:104:PostgreSQL:/var/lib/postgresql:/bin/bash\n";
const GROUP = "root:x:0:\npostgres:x:104:\n";
const where = { pod: "web", namespace: "ns", uid: "u-1", container: "app" };

describe("effectiveSecurityContext", () => {
  it("overlays the container's securityContext on the pod's and takes fsGroup and supplementalGroups from the pod", () => {
    const sc = effectiveSecurityContext(
      {
        securityContext: {
          runAsNonRoot: true,
          runAsUser: 10001,
          runAsGroup: 10001,
          fsGroup: 2000,
          supplementalGroups: [3000],
        },
      },
      {
        securityContext: { runAsUser: 10002, readOnlyRootFilesystem: true, allowPrivilegeEscalation: false },
      },
    );
    expect(sc).toEqual({
      runAsUser: 10002,
      runAsGroup: 10001,
      runAsNonRoot: true,
      readOnlyRootFilesystem: true,
      allowPrivilegeEscalation: false,
      fsGroup: 2000,
      supplementalGroups: [3000],
    });
  });

  it("leaves a container without any securityContext as root with a writable root file system", () => {
    const sc = effectiveSecurityContext({}, {});
    expect(processIdentity(sc, parsePasswd(PASSWD), 0)).toEqual({
      uid: 0,
      gid: 0,
      groups: [0],
      home: "/root",
      noNewPrivs: false,
      switches: false,
    });
    expect(sc.readOnlyRootFilesystem).toBe(false);
  });
});

describe("nonRootViolation", () => {
  it("refuses runAsNonRoot without runAsUser for a root image, and an explicit runAsUser 0, in the kubelet's words", () => {
    const implicit = effectiveSecurityContext({ securityContext: { runAsNonRoot: true } }, {});
    const explicit = effectiveSecurityContext(
      { securityContext: { runAsNonRoot: true } },
      { securityContext: { runAsUser: 0 } },
    );
    expect(nonRootViolation(implicit, 0, where)).toBe(
      'container has runAsNonRoot and image will run as root (pod: "web_ns(u-1)", container: app)',
    );
    expect(nonRootViolation(explicit, 0, where)).toBe(
      'container\'s runAsUser breaks non-root policy (pod: "web_ns(u-1)", container: app)',
    );
  });

  it("accepts runAsNonRoot with a non-zero runAsUser, or an image that runs as a non-root uid", () => {
    const withUser = effectiveSecurityContext(
      { securityContext: { runAsNonRoot: true, runAsUser: 10001 } },
      {},
    );
    const withoutUser = effectiveSecurityContext({ securityContext: { runAsNonRoot: true } }, {});
    expect([nonRootViolation(withUser, 0, where), nonRootViolation(withoutUser, 1000, where)]).toEqual([
      undefined,
      undefined,
    ]);
  });
});

describe("processIdentity and setprivArgv", () => {
  it("runs as runAsUser/runAsGroup with fsGroup and supplementalGroups as supplementary groups and no_new_privs", () => {
    const sc = effectiveSecurityContext(
      { securityContext: { runAsUser: 10001, runAsGroup: 10001, fsGroup: 10001, supplementalGroups: [5] } },
      { securityContext: { allowPrivilegeEscalation: false } },
    );
    const identity = processIdentity(sc, parsePasswd(PASSWD), 0);
    expect(identity).toEqual({
      uid: 10001,
      gid: 10001,
      groups: [10001, 5],
      home: "/",
      noNewPrivs: true,
      switches: true,
    });
    expect(setprivArgv("/usr/bin/setpriv", identity)).toEqual([
      "/usr/bin/setpriv",
      "--reuid=10001",
      "--regid=10001",
      "--groups=10001,5",
      "--no-new-privs",
      "--",
    ]);
  });

  it("takes the group and home of a uid the machine knows from its passwd entry when runAsGroup is not set", () => {
    const sc = effectiveSecurityContext({ securityContext: { runAsUser: 101 } }, {});
    const identity = processIdentity(sc, parsePasswd(PASSWD), 0);
    expect({ gid: identity.gid, home: identity.home }).toEqual({ gid: 104, home: "/var/lib/postgresql" });
  });
});

describe("accountFiles", () => {
  it("adds a passwd entry and group entries for ids the machine does not know, keeping its own lines", () => {
    const sc = effectiveSecurityContext(
      { securityContext: { runAsUser: 10001, runAsGroup: 10001, fsGroup: 104 } },
      {},
    );
    const files = accountFiles(processIdentity(sc, parsePasswd(PASSWD), 0), PASSWD, GROUP);
    expect(files).toEqual({
      passwd: `${PASSWD}uid-10001:x:10001:10001:kube-sim runAsUser:/:/usr/sbin/nologin\n`,
      group: `${GROUP}gid-10001:x:10001:\n`,
    });
  });

  it("needs no generated file when the machine knows the uid and every gid", () => {
    const sc = effectiveSecurityContext({ securityContext: { runAsUser: 101, runAsGroup: 104 } }, {});
    expect(accountFiles(processIdentity(sc, parsePasswd(PASSWD), 0), PASSWD, GROUP)).toEqual({
      passwd: undefined,
      group: undefined,
    });
  });
});
