import { DEFAULT_AGENT_QUEUE, didYouMean, type JsonValue, nearest } from "@bosun/core";
import type { ValueCheckLoader } from "@bosun/engine";
import YAML from "yaml";

/**
 * `bosun-locations.yaml`: a deployment's code locations in hybrid mode, set by `bosun deploy` and
 * carried out by the agents serving the deployment.
 *
 * ```yaml
 * locations:
 *   - location_name: sales
 *     image: registry.example.com/sales:1f3a
 *     code_source: { file: src/definitions.ts }   # or { module: "@acme/sales" }
 *     working_directory: /app
 *     agent_queue: eu                             # agents serving this queue take its work
 *     container_context:
 *       k8s: { env_secrets: [sales-db], namespace: sales, ... }
 * ```
 *
 * Keys are snake_case; their camelCase spelling is accepted and renamed. Validation is strict: an unknown
 * key is an issue naming its path and the nearest valid key. `container_context` sections are checked by
 * the plugin that reads them (`k8s`: the Kubernetes plugin's schema, the same one its launcher uses).
 */

/** Where a location's code is, inside its image. */
export type LocationCodeSource = { readonly file: string } | { readonly module: string };

/** One location of a locations file, canonical (snake_case keys; `container_context` sections as given). */
export interface DeployedLocation {
  readonly location_name: string;
  readonly image?: string;
  readonly code_source: LocationCodeSource;
  readonly working_directory?: string;
  readonly container_context?: Readonly<Record<string, JsonValue>>;
  /** The agent queue whose agents serve it (`default` when absent). */
  readonly agent_queue: string;
}

/** One problem of a locations file. */
export interface LocationsFileIssue {
  /** e.g. `locations[0].container_context.k8s.env_varz`. */
  readonly path: string;
  readonly message: string;
  /** For a misspelt key: the nearest valid one. */
  readonly suggestion?: string;
}

/** A locations file that cannot be used, with every problem's path. */
export class LocationsFileError extends Error {
  constructor(readonly issues: readonly LocationsFileIssue[]) {
    super(
      issues.length === 1
        ? `locations file: ${describe(issues[0]!)}`
        : `locations file has ${issues.length} problems:\n${issues.map((issue) => `  ${describe(issue)}`).join("\n")}`,
    );
    this.name = "LocationsFileError";
  }
}

/** Checks of `container_context` sections by key (`k8s`), as plugins contribute them. */
export type ContainerContextChecks = Readonly<Record<string, ValueCheckLoader>>;

const LOCATION_NAME = /^[A-Za-z0-9_][A-Za-z0-9_.-]*$/;
const TOP_LEVEL_KEYS = ["locations"];
const LOCATION_KEYS = [
  "location_name",
  "image",
  "code_source",
  "working_directory",
  "container_context",
  "agent_queue",
];
const CODE_SOURCE_KEYS = ["file", "module"];

/** Parses the YAML text of a locations file, then validates it (`parseLocations`). */
export async function parseLocationsYaml(
  text: string,
  checks: ContainerContextChecks,
): Promise<readonly DeployedLocation[]> {
  let document: unknown;
  try {
    document = YAML.parse(text);
  } catch (error) {
    throw new LocationsFileError([{ path: "", message: `not valid YAML: ${(error as Error).message}` }]);
  }
  return parseLocations(document, checks);
}

/**
 * Validates a locations document (`{ locations: [...] }`) and returns its locations in canonical form.
 * Throws `LocationsFileError` listing every problem.
 *
 * @example
 * await parseLocations({ locations: [{ locationName: "sales", codeSource: { file: "defs.ts" } }] }, {});
 * // → [{ location_name: "sales", code_source: { file: "defs.ts" }, agent_queue: "default" }]
 */
export async function parseLocations(
  document: unknown,
  checks: ContainerContextChecks,
): Promise<readonly DeployedLocation[]> {
  const issues: LocationsFileIssue[] = [];
  if (!isRecord(document))
    throw new LocationsFileError([
      { path: "", message: `expected a mapping with a locations list, got ${kindOf(document)}` },
    ]);
  const top = canonicalKeys(document, TOP_LEVEL_KEYS, "", issues);
  const entries = top.locations;
  if (!Array.isArray(entries)) {
    issues.push({
      path: "locations",
      message: `expected a list of code locations, got ${entries === undefined ? "nothing" : kindOf(entries)}`,
    });
    throw new LocationsFileError(issues);
  }
  const locations: DeployedLocation[] = [];
  const namedAt = new Map<string, number>();
  for (const [index, entry] of entries.entries()) {
    const location = await parseLocation(entry, `locations[${index}]`, checks, issues);
    if (!location) continue;
    const previous = namedAt.get(location.location_name);
    if (previous !== undefined) {
      issues.push({
        path: `locations[${index}].location_name`,
        message: `"${location.location_name}" is already the name of locations[${previous}]; each location needs its own name`,
      });
      continue;
    }
    namedAt.set(location.location_name, index);
    locations.push(location);
  }
  if (issues.length > 0) throw new LocationsFileError(issues);
  return locations;
}

async function parseLocation(
  entry: unknown,
  at: string,
  checks: ContainerContextChecks,
  issues: LocationsFileIssue[],
): Promise<DeployedLocation | null> {
  if (!isRecord(entry)) {
    issues.push({ path: at, message: `expected a mapping (one code location), got ${kindOf(entry)}` });
    return null;
  }
  const before = issues.length;
  const fields = canonicalKeys(entry, LOCATION_KEYS, at, issues);
  const name = fields.location_name;
  if (typeof name !== "string" || !LOCATION_NAME.test(name))
    issues.push({
      path: `${at}.location_name`,
      message:
        name === undefined
          ? "missing; every location needs a name"
          : 'expected letters, digits, "_", "-" or "." (the name appears in URLs and run tags)',
    });
  const image = optionalText(fields, "image", at, issues);
  const workingDirectory = optionalText(fields, "working_directory", at, issues);
  const agentQueue = optionalText(fields, "agent_queue", at, issues);
  const codeSource = parseCodeSource(fields.code_source, `${at}.code_source`, issues);
  const containerContext = await parseContainerContext(
    fields.container_context,
    `${at}.container_context`,
    checks,
    issues,
  );
  if (issues.length > before || codeSource === null || typeof name !== "string") return null;
  return {
    location_name: name,
    ...(image !== undefined ? { image } : {}),
    code_source: codeSource,
    ...(workingDirectory !== undefined ? { working_directory: workingDirectory } : {}),
    ...(containerContext !== undefined ? { container_context: containerContext } : {}),
    agent_queue: agentQueue ?? DEFAULT_AGENT_QUEUE,
  };
}

function parseCodeSource(
  value: unknown,
  at: string,
  issues: LocationsFileIssue[],
): LocationCodeSource | null {
  const expected = `expected a mapping with one of ${CODE_SOURCE_KEYS.join(", ")}`;
  if (value === undefined) {
    issues.push({ path: at, message: `missing; ${expected}` });
    return null;
  }
  if (!isRecord(value)) {
    issues.push({ path: at, message: `${expected}, got ${kindOf(value)}` });
    return null;
  }
  const before = issues.length;
  const fields = canonicalKeys(value, CODE_SOURCE_KEYS, at, issues);
  const given = CODE_SOURCE_KEYS.filter((key) => fields[key] !== undefined);
  if (issues.length > before) return null;
  if (given.length !== 1) {
    issues.push({ path: at, message: `${expected} (${given.length === 0 ? "none" : "both"} given)` });
    return null;
  }
  const key = given[0]!;
  const text = fields[key];
  if (typeof text !== "string" || text === "") {
    issues.push({ path: `${at}.${key}`, message: `expected a non-empty string, got ${kindOf(text)}` });
    return null;
  }
  return key === "file" ? { file: text } : { module: text };
}

async function parseContainerContext(
  value: unknown,
  at: string,
  checks: ContainerContextChecks,
  issues: LocationsFileIssue[],
): Promise<Readonly<Record<string, JsonValue>> | undefined> {
  if (value === undefined || value === null) return undefined;
  if (!isRecord(value)) {
    issues.push({
      path: at,
      message: `expected a mapping of sections (${Object.keys(checks).join(", ")}), got ${kindOf(value)}`,
    });
    return undefined;
  }
  const sections = canonicalKeys(value, Object.keys(checks), at, issues);
  for (const [key, section] of Object.entries(sections)) {
    const check = await checks[key]!();
    for (const issue of check(section))
      issues.push({
        // A check's paths are relative to its section.
        path: `${at}.${key}${issue.path === "" || issue.path.startsWith("[") ? "" : "."}${issue.path}`,
        message: issue.detail,
        ...(issue.suggestion !== undefined ? { suggestion: issue.suggestion } : {}),
      });
  }
  return sections as Record<string, JsonValue>;
}

/**
 * The mapping with its keys in their canonical (snake_case) spelling; an unknown key, or one given in
 * both spellings, is an issue naming the nearest valid key.
 */
function canonicalKeys(
  value: Record<string, unknown>,
  allowed: readonly string[],
  at: string,
  issues: LocationsFileIssue[],
): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(value)) {
    const canonical = toSnakeCase(key);
    const path = at === "" ? key : `${at}.${key}`;
    if (!allowed.includes(canonical)) {
      const suggestion = nearest(key, allowed);
      issues.push({
        path,
        message: `unknown key${didYouMean(key, allowed)} (expected ${allowed.length === 0 ? "no keys" : `one of ${allowed.join(", ")}`})`,
        ...(suggestion !== undefined ? { suggestion } : {}),
      });
      continue;
    }
    if (canonical in result) {
      issues.push({ path, message: `given twice, as ${canonical} and ${key}; keep one` });
      continue;
    }
    result[canonical] = field;
  }
  return result;
}

function optionalText(
  fields: Record<string, unknown>,
  key: string,
  at: string,
  issues: LocationsFileIssue[],
): string | undefined {
  const value = fields[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value === "string" && value !== "") return value;
  issues.push({ path: `${at}.${key}`, message: `expected a non-empty string, got ${kindOf(value)}` });
  return undefined;
}

function toSnakeCase(key: string): string {
  return key.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function kindOf(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "a list";
  if (typeof value === "string") return `the string "${value}"`;
  return typeof value === "object" ? "a mapping" : `${typeof value} ${String(value)}`;
}

function describe(issue: LocationsFileIssue): string {
  return issue.path ? `${issue.path}: ${issue.message}` : issue.message;
}
