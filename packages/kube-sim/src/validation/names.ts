/** Name and label syntax rules, as the Kubernetes API server applies them. */

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const DNS1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const QUALIFIED_NAME_PART = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
const CONFIG_KEY = /^[-._a-zA-Z0-9]+$/;
const ENV_VAR_NAME = /^[^=]+$/;
const IANA_SVC_NAME = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/;

/** Each function returns a list of problems (empty when valid), phrased like the API server's. */
export function dns1123Label(value: string): string[] {
  const problems: string[] = [];
  if (value.length > 63) problems.push("must be no more than 63 characters");
  if (!DNS1123_LABEL.test(value)) {
    problems.push(
      "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character",
    );
  }
  return problems;
}

export function dns1123Subdomain(value: string): string[] {
  const problems: string[] = [];
  if (value.length > 253) problems.push("must be no more than 253 characters");
  if (!DNS1123_SUBDOMAIN.test(value)) {
    problems.push(
      "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character",
    );
  }
  return problems;
}

export function dns1035Label(value: string): string[] {
  const problems: string[] = [];
  if (value.length > 63) problems.push("must be no more than 63 characters");
  if (!DNS1035_LABEL.test(value)) {
    problems.push(
      "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character",
    );
  }
  return problems;
}

/** A label or annotation key: an optional DNS subdomain prefix and `/`, then a name of at most 63 characters. */
export function qualifiedName(value: string): string[] {
  const parts = value.split("/");
  let name = value;
  const problems: string[] = [];
  if (parts.length > 2) {
    return [
      "a qualified name must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character, with an optional DNS subdomain prefix and '/'",
    ];
  }
  if (parts.length === 2) {
    const prefix = parts[0]!;
    name = parts[1]!;
    if (prefix.length === 0) problems.push("prefix part must be non-empty");
    else for (const p of dns1123Subdomain(prefix)) problems.push(`prefix part ${p}`);
  }
  if (name.length === 0) problems.push("name part must be non-empty");
  else if (name.length > 63) problems.push("name part must be no more than 63 characters");
  if (name.length > 0 && !QUALIFIED_NAME_PART.test(name)) {
    problems.push(
      "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character",
    );
  }
  return problems;
}

export function labelValue(value: string): string[] {
  const problems: string[] = [];
  if (value.length > 63) problems.push("must be no more than 63 characters");
  if (!LABEL_VALUE.test(value)) {
    problems.push(
      "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character",
    );
  }
  return problems;
}

export function configMapKey(value: string): string[] {
  const problems: string[] = [];
  if (value.length > 253) problems.push("must be no more than 253 characters");
  if (!CONFIG_KEY.test(value))
    problems.push("a valid config key must consist of alphanumeric characters, '-', '_' or '.'");
  if (value === "." || value === "..") problems.push(`must not be '${value}'`);
  return problems;
}

export function envVarName(value: string): string[] {
  return ENV_VAR_NAME.test(value) ? [] : ["a valid environment variable name must not contain '='"];
}

/** A named port (`targetPort: http`): an IANA service name. */
export function ianaServiceName(value: string): string[] {
  const problems: string[] = [];
  if (value.length > 15) problems.push("must be no more than 15 characters");
  if (!IANA_SVC_NAME.test(value) || value.includes("--") || !/[a-z]/.test(value)) {
    problems.push(
      "must contain only lower case alphanumeric characters or '-', at least one letter, and no adjacent '-'",
    );
  }
  return problems;
}

const QUANTITY = /^[+-]?(\d+(\.\d*)?|\.\d+)(([KMGTPE]i)|[numkMGTPE]|([eE][+-]?\d+))?$/;

/** A resource quantity such as `500m`, `1Gi` or `2`. */
export function quantity(value: string | number): string[] {
  if (typeof value === "number") return Number.isFinite(value) ? [] : ["must be a finite number"];
  return QUANTITY.test(value)
    ? []
    : ["quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'"];
}

const SUFFIX: Record<string, number> = {
  n: 1e-9,
  u: 1e-6,
  m: 1e-3,
  "": 1,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  P: 1e15,
  E: 1e18,
  Ki: 1024,
  Mi: 1024 ** 2,
  Gi: 1024 ** 3,
  Ti: 1024 ** 4,
  Pi: 1024 ** 5,
  Ei: 1024 ** 6,
};

/** Parses a quantity into a plain number (bytes for memory, cores for CPU). */
export function parseQuantity(value: string | number): number {
  if (typeof value === "number") return value;
  const match = /^([+-]?(?:\d+(?:\.\d*)?|\.\d+))([eE][+-]?\d+|[KMGTPE]i|[numkMGTPE])?$/.exec(value);
  if (!match) throw new Error(`invalid quantity ${JSON.stringify(value)}`);
  const base = Number(match[1]);
  const suffix = match[2] ?? "";
  if (/^[eE]/.test(suffix)) return base * 10 ** Number(suffix.slice(1));
  return base * (SUFFIX[suffix] ?? 1);
}
