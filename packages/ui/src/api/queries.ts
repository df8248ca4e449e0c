import type { LaunchBody } from "@bosun/webserver/api-types";
import { keepPreviousData, useMutation, useQueries, useQuery, useQueryClient } from "@tanstack/react-query";
import { api, type QueryValue, seg } from "./client.ts";
import { rememberCsrfToken } from "./csrf.ts";
import type {
  ApiToken,
  AssetDetail,
  AssetListItem,
  AuditEntry,
  AuthMe,
  CodeLocation,
  DaemonHealth,
  Deployment,
  DeploymentChanges,
  InstigatorKind,
  JobDetail,
  JobSummary,
  PartitionStatusPage,
  QueueInfo,
  Run,
  RunPage,
  Schedule,
  Sensor,
  ServerInfo,
  Tick,
} from "./types.ts";

/** Everything the pages read, as TanStack Query hooks. Live pages poll; the run page also streams. */

export const keys = {
  me: ["auth-me"] as const,
  serverInfo: ["server-info"] as const,
  locations: ["locations"] as const,
  jobs: (location: string) => ["jobs", location] as const,
  job: (location: string, job: string) => ["job", location, job] as const,
  assets: ["assets"] as const,
  asset: (key: string) => ["asset", key] as const,
  assetPartitions: (key: string, params: Readonly<Record<string, QueryValue>>) =>
    ["asset", key, "partitions", params] as const,
  runs: (params: Readonly<Record<string, QueryValue>>) => ["runs", params] as const,
  run: (id: string) => ["run", id] as const,
  schedules: ["schedules"] as const,
  sensors: ["sensors"] as const,
  ticks: (kind: InstigatorKind, location: string, name: string) => ["ticks", kind, location, name] as const,
  daemon: ["daemon-health"] as const,
  queue: ["queue"] as const,
  tokens: (all: boolean) => ["tokens", all] as const,
  audit: (params: Readonly<Record<string, QueryValue>>) => ["audit", params] as const,
  deployments: ["deployments"] as const,
  deploymentChanges: (name: string) => ["deployment-changes", name] as const,
};

/** Who is calling; a 401 means auth is on and nobody is signed in (the layout shows the sign-in page). */
export function useMe() {
  return useQuery({
    queryKey: keys.me,
    queryFn: async () => {
      const me = await api.get<AuthMe>("/api/auth/me");
      rememberCsrfToken(me.csrfToken);
      return me;
    },
    staleTime: 60_000,
  });
}

export function useServerInfo() {
  return useQuery({
    queryKey: keys.serverInfo,
    queryFn: () => api.get<ServerInfo>("/api/server-info"),
    staleTime: 60_000,
  });
}

/** True when mutating controls must be hidden (read-only webserver, or not known yet). */
export function useReadOnly(): boolean {
  const info = useServerInfo();
  return info.data?.readOnly ?? true;
}

/** A permission that lets a control change things (the webserver's route table says which a route needs). */
export type ChangePermission = "runs.launch" | "runs.terminate" | "instigators.manage" | "locations.reload";

/**
 * Whether controls that need `permission` on `location` are shown: not on a read-only webserver, and
 * only when the caller holds it there (the webserver refuses the call regardless). Hidden until known.
 */
export function useCanChange(permission: ChangePermission, location: string): boolean {
  const readOnly = useReadOnly();
  const me = useMe();
  if (readOnly || !me.data) return false;
  return (
    me.data.instancePermissions.includes(permission) ||
    (me.data.locationPermissions[location]?.includes(permission) ?? false)
  );
}

/** Every deployment, for the switcher and the Deployments page. */
export function useDeployments() {
  return useQuery({
    queryKey: keys.deployments,
    queryFn: () => api.get<{ deployments: Deployment[] }>("/api/deployments").then((r) => r.deployments),
    staleTime: 10_000,
  });
}

/** The assets and jobs a branch deployment adds, removes or changes against its base. */
export function useDeploymentChanges(name: string) {
  return useQuery({
    queryKey: keys.deploymentChanges(name),
    queryFn: () => api.get<DeploymentChanges>(`/api/deployments/${seg(name)}/changes`),
    refetchInterval: 10_000,
  });
}

export function useLocations() {
  return useQuery({
    queryKey: keys.locations,
    queryFn: () => api.get<{ locations: CodeLocation[] }>("/api/locations").then((r) => r.locations),
    refetchInterval: 5_000,
  });
}

export function useJobs(location: string, enabled = true) {
  return useQuery({
    queryKey: keys.jobs(location),
    queryFn: () =>
      api.get<{ jobs: JobSummary[] }>(`/api/locations/${seg(location)}/jobs`).then((r) => r.jobs),
    enabled,
  });
}

/** Jobs of every loaded location, flattened. */
export function useAllJobs() {
  const locations = useLocations();
  const loaded = (locations.data ?? []).filter((l) => l.counts.jobs > 0);
  const results = useQueries({
    queries: loaded.map((l) => ({
      queryKey: keys.jobs(l.name),
      queryFn: () =>
        api.get<{ jobs: JobSummary[] }>(`/api/locations/${seg(l.name)}/jobs`).then((r) => r.jobs),
    })),
  });
  return {
    isPending: locations.isPending || results.some((r) => r.isPending),
    error: locations.error ?? results.find((r) => r.error)?.error ?? null,
    jobs: results.flatMap((r) => r.data ?? []),
  };
}

export function useJob(location: string, job: string) {
  return useQuery({
    queryKey: keys.job(location, job),
    queryFn: () =>
      api.get<{ job: JobDetail }>(`/api/locations/${seg(location)}/jobs/${seg(job)}`).then((r) => r.job),
  });
}

export function useAssets() {
  return useQuery({
    queryKey: keys.assets,
    queryFn: () => api.get<{ assets: AssetListItem[] }>("/api/assets").then((r) => r.assets),
    refetchInterval: 15_000,
  });
}

/** Asset keys contain slashes; each part is encoded on its own so the route sees `a/b`. */
export function assetPath(key: string): string {
  return key.split("/").map(seg).join("/");
}

export function useAsset(key: string) {
  return useQuery({
    queryKey: keys.asset(key),
    queryFn: () => api.get<AssetDetail>(`/api/assets/${assetPath(key)}`, { limit: 200 }),
    refetchInterval: 10_000,
  });
}

/** A page of an asset's partitions with their status, newest first (`status`: comma-separated filter). */
export function useAssetPartitions(key: string, params: { status?: string; limit: number; after?: string }) {
  const query: Record<string, QueryValue> = { asset: key, ...params };
  return useQuery({
    queryKey: keys.assetPartitions(key, query),
    queryFn: () => api.get<PartitionStatusPage>("/api/asset-partitions", query),
    placeholderData: keepPreviousData,
    refetchInterval: 10_000,
  });
}

export function useRuns(params: Readonly<Record<string, QueryValue>>, options: { live?: boolean } = {}) {
  return useQuery({
    queryKey: keys.runs(params),
    queryFn: () => api.get<RunPage>("/api/runs", params),
    placeholderData: keepPreviousData,
    refetchInterval: options.live === false ? false : 4_000,
  });
}

export function useRun(id: string) {
  return useQuery({
    queryKey: keys.run(id),
    queryFn: () => api.get<{ run: Run }>(`/api/runs/${seg(id)}`).then((r) => r.run),
  });
}

export function useSchedules() {
  return useQuery({
    queryKey: keys.schedules,
    queryFn: () => api.get<{ schedules: Schedule[] }>("/api/schedules").then((r) => r.schedules),
    refetchInterval: 10_000,
  });
}

export function useSensors() {
  return useQuery({
    queryKey: keys.sensors,
    queryFn: () => api.get<{ sensors: Sensor[] }>("/api/sensors").then((r) => r.sensors),
    refetchInterval: 10_000,
  });
}

export function useTicks(kind: InstigatorKind, location: string, name: string) {
  return useQuery({
    queryKey: keys.ticks(kind, location, name),
    queryFn: () =>
      api
        .get<{ ticks: Tick[] }>(`/api/${kind}s/${seg(location)}/${seg(name)}/ticks`, { limit: 50 })
        .then((r) => r.ticks),
    refetchInterval: 10_000,
  });
}

export function useDaemonHealth() {
  return useQuery({
    queryKey: keys.daemon,
    queryFn: () => api.get<DaemonHealth>("/api/daemon/health"),
    refetchInterval: 10_000,
    retry: false,
  });
}

export function useQueue() {
  return useQuery({
    queryKey: keys.queue,
    queryFn: () => api.get<QueueInfo>("/api/queue", { limit: 200 }),
    refetchInterval: 3_000,
  });
}

/** API tokens, newest first; `all` adds revoked ones (admin: `tokens.manage`). */
export function useTokens(all: boolean) {
  return useQuery({
    queryKey: keys.tokens(all),
    queryFn: () => api.get<{ tokens: ApiToken[] }>("/api/tokens", { all }).then((r) => r.tokens),
    placeholderData: keepPreviousData,
  });
}

/** One page of the audit log, newest first, filtered (admin: `audit.view`). */
export function useAudit(params: Readonly<Record<string, QueryValue>>) {
  return useQuery({
    queryKey: keys.audit(params),
    queryFn: () => api.get<{ entries: AuditEntry[] }>("/api/audit", params).then((r) => r.entries),
    placeholderData: keepPreviousData,
    refetchInterval: params.beforeId ? false : 5_000,
  });
}

/** Whether the caller holds `permission` on the whole instance (admin pages: tokens, audit). */
export function useHasInstancePermission(permission: string): boolean | undefined {
  const me = useMe();
  return me.data ? me.data.instancePermissions.includes(permission) : undefined;
}

// ---- Mutations ----

/** What a launch sends: the body of `POST /api/runs`, as the webserver declares it. */
export type LaunchRequest = LaunchBody;

export function useLaunchRun() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: LaunchRequest) => api.post<{ run: Run }>("/api/runs", body).then((r) => r.run),
    onSuccess: (run) => {
      // The run page opens on the run as created (QUEUED), then follows it live.
      client.setQueryData(keys.run(run.runId), run);
      void client.invalidateQueries({ queryKey: ["runs"] });
    },
  });
}

export function useTerminateRun(id: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: () => api.post<{ run: Run }>(`/api/runs/${seg(id)}/terminate`).then((r) => r.run),
    onSuccess: (run) => client.setQueryData(keys.run(id), run),
  });
}

export type ReexecuteRequest =
  | { readonly mode: "all" | "fromFailure" }
  | { readonly mode: "selected"; readonly stepKeys: readonly string[] };

export function useReexecuteRun(id: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: ReexecuteRequest) =>
      api.post<{ run: Run }>(`/api/runs/${seg(id)}/reexecute`, body).then((r) => r.run),
    onSuccess: (run) => {
      client.setQueryData(keys.run(run.runId), run);
      void client.invalidateQueries({ queryKey: ["runs"] });
    },
  });
}

export function useToggleInstigator(kind: InstigatorKind) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (v: { location: string; name: string; start: boolean }) =>
      api.post(`/api/${kind}s/${seg(v.location)}/${seg(v.name)}/${v.start ? "start" : "stop"}`),
    onSuccess: () =>
      client.invalidateQueries({ queryKey: kind === "schedule" ? keys.schedules : keys.sensors }),
  });
}

export function useReloadLocation() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (name: string) =>
      api.post<{ location: CodeLocation }>(`/api/locations/${seg(name)}/reload`).then((r) => r.location),
    onSettled: () => {
      void client.invalidateQueries({ queryKey: keys.locations });
      void client.invalidateQueries({ queryKey: ["jobs"] });
      void client.invalidateQueries({ queryKey: ["job"] });
      void client.invalidateQueries({ queryKey: keys.assets });
    },
  });
}

/** What the Tokens page sends to create a token: the body of `POST /api/tokens`. */
export interface CreateTokenRequest {
  readonly name: string;
  readonly role: ApiToken["role"];
  readonly location: string | null;
  readonly expiresInSeconds: number | null;
}

export function useCreateToken() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: CreateTokenRequest) =>
      api.post<{ token: ApiToken; secret: string }>("/api/tokens", body),
    onSuccess: () => client.invalidateQueries({ queryKey: ["tokens"] }),
  });
}

export function useRevokeToken() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (id: string) =>
      api.post<{ token: ApiToken }>(`/api/tokens/${seg(id)}/revoke`).then((r) => r.token),
    onSuccess: () => client.invalidateQueries({ queryKey: ["tokens"] }),
  });
}
