/**
 * Pod and container `securityContext`, applied the way a kubelet and container runtime apply them to
 * a container process: the container's fields override the pod's; the process runs as `runAsUser`
 * (kube-sim's images have no USER, so without it a container runs as root), with `runAsGroup` as its
 * group and `fsGroup` and `supplementalGroups` as supplementary groups; `runAsNonRoot` refuses to
 * start a container that would run as uid 0; `allowPrivilegeEscalation: false` sets no_new_privs.
 * `readOnlyRootFilesystem` is applied by the launcher (see `container-launcher.ts`), fsGroup volume
 * ownership by `volume-ownership.ts`.
 */
type Fields = Record<string, unknown>;

export interface EffectiveSecurityContext {
  readonly runAsUser: number | undefined;
  readonly runAsGroup: number | undefined;
  readonly runAsNonRoot: boolean;
  readonly readOnlyRootFilesystem: boolean;
  /** False only when the container says so; the process then runs with no_new_privs. */
  readonly allowPrivilegeEscalation: boolean;
  readonly fsGroup: number | undefined;
  readonly supplementalGroups: readonly number[];
}

const id = (value: unknown): number | undefined =>
  typeof value === "number" && Number.isInteger(value) && value >= 0 ? value : undefined;

/** The container's securityContext overlaid on the pod's (fsGroup and supplementalGroups are pod-level only). */
export function effectiveSecurityContext(podSpec: Fields, container: Fields): EffectiveSecurityContext {
  const pod = (podSpec.securityContext ?? {}) as Fields;
  const own = (container.securityContext ?? {}) as Fields;
  const pick = (key: string): unknown => (own[key] !== undefined && own[key] !== null ? own[key] : pod[key]);
  return {
    runAsUser: id(pick("runAsUser")),
    runAsGroup: id(pick("runAsGroup")),
    runAsNonRoot: pick("runAsNonRoot") === true,
    readOnlyRootFilesystem: own.readOnlyRootFilesystem === true,
    allowPrivilegeEscalation: own.allowPrivilegeEscalation !== false,
    fsGroup: id(pod.fsGroup),
    supplementalGroups: ((pod.supplementalGroups ?? []) as unknown[])
      .map(id)
      .filter((g): g is number => g !== undefined),
  };
}

/**
 * Why the container may not start under `runAsNonRoot`, in the kubelet's words; undefined when it
 * may. `imageUid` is the uid the image runs as without runAsUser (0 for kube-sim's images).
 */
export function nonRootViolation(
  sc: EffectiveSecurityContext,
  imageUid: number,
  where: { pod: string; namespace: string; uid: string; container: string },
): string | undefined {
  if (!sc.runAsNonRoot) return undefined;
  const subject = `(pod: "${where.pod}_${where.namespace}(${where.uid})", container: ${where.container})`;
  if (sc.runAsUser === 0) return `container's runAsUser breaks non-root policy ${subject}`;
  if (sc.runAsUser === undefined && imageUid === 0)
    return `container has runAsNonRoot and image will run as root ${subject}`;
  return undefined;
}

/** One /etc/passwd line's fields that matter here. */
export interface PasswdEntry {
  readonly name: string;
  readonly uid: number;
  readonly gid: number;
  readonly home: string;
}

export function parsePasswd(text: string): PasswdEntry[] {
  const entries: PasswdEntry[] = [];
  for (const line of text.split("\n")) {
    const f = line.split(":");
    if (f.length < 7 || line.startsWith("#")) continue;
    entries.push({ name: f[0]!, uid: Number(f[2]), gid: Number(f[3]), home: f[5]! });
  }
  return entries;
}

function groupIds(text: string): Set<number> {
  const ids = new Set<number>();
  for (const line of text.split("\n")) {
    const f = line.split(":");
    if (f.length >= 3 && !line.startsWith("#")) ids.add(Number(f[2]));
  }
  return ids;
}

/** Who the container's process is. */
export interface ProcessIdentity {
  readonly uid: number;
  readonly gid: number;
  /** Supplementary groups: the primary group, fsGroup and supplementalGroups, without duplicates. */
  readonly groups: readonly number[];
  /** HOME from the user's passwd entry ("/" for a user the machine does not know), as a runtime sets it. */
  readonly home: string;
  readonly noNewPrivs: boolean;
  /** True when the process must switch identity (anything but plain root with root's groups). */
  readonly switches: boolean;
}

export function processIdentity(
  sc: EffectiveSecurityContext,
  passwd: readonly PasswdEntry[],
  imageUid: number,
): ProcessIdentity {
  const uid = sc.runAsUser ?? imageUid;
  const entry = passwd.find((e) => e.uid === uid);
  const gid = sc.runAsGroup ?? entry?.gid ?? 0;
  const extra = [sc.fsGroup, ...sc.supplementalGroups].filter((g): g is number => g !== undefined);
  const groups = [...new Set([gid, ...extra])];
  return {
    uid,
    gid,
    groups,
    home: entry?.home ?? "/",
    noNewPrivs: !sc.allowPrivilegeEscalation,
    switches:
      sc.runAsUser !== undefined ||
      sc.runAsGroup !== undefined ||
      extra.length > 0 ||
      !sc.allowPrivilegeEscalation,
  };
}

/**
 * The machine's /etc/passwd and /etc/group plus entries for a uid or gid they lack (`uid-10001`,
 * home `/`, no login shell), as an image's own files would name its users: programs such as initdb
 * look their user up. Undefined for a file that needs no addition.
 */
export function accountFiles(
  identity: ProcessIdentity,
  passwdText: string,
  groupText: string,
): { passwd: string | undefined; group: string | undefined } {
  const known = parsePasswd(passwdText);
  const withNewline = (t: string) => (t === "" || t.endsWith("\n") ? t : `${t}\n`);
  const passwd = known.some((e) => e.uid === identity.uid)
    ? undefined
    : `${withNewline(passwdText)}uid-${identity.uid}:x:${identity.uid}:${identity.gid}:kube-sim runAsUser:/:/usr/sbin/nologin\n`;
  const gids = groupIds(groupText);
  const missing = identity.groups.filter((g) => !gids.has(g));
  const group =
    missing.length === 0
      ? undefined
      : withNewline(groupText) + missing.map((g) => `gid-${g}:x:${g}:\n`).join("");
  return { passwd, group };
}

/** The `setpriv` command line that makes `exec`'s program run as `identity`. */
export function setprivArgv(setpriv: string, identity: ProcessIdentity): string[] {
  return [
    setpriv,
    `--reuid=${identity.uid}`,
    `--regid=${identity.gid}`,
    identity.groups.length > 0 ? `--groups=${identity.groups.join(",")}` : "--clear-groups",
    ...(identity.noNewPrivs ? ["--no-new-privs"] : []),
    "--",
  ];
}
