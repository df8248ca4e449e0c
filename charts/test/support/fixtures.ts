import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import YAML from "yaml";

const FIXTURES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../fixtures");

/** A values file from charts/test/fixtures, parsed. */
export function fixture(name: string): Record<string, unknown> {
  return YAML.parse(readFileSync(path.join(FIXTURES, `${name}.yaml`), "utf8")) as Record<string, unknown>;
}

/** The render matrix: every configuration the chart must render into valid objects. */
export const MATRIX: Readonly<Record<string, Record<string, unknown>>> = {
  defaults: {},
  "external PostgreSQL with an existing Secret": fixture("external-postgresql"),
  "subchart disabled with workspace.servers": fixture("separate-user-code"),
  "runK8sConfig from the guide": fixture("seed-run-k8s-config"),
  "RBAC off": fixture("rbac-off"),
  "three webserver replicas plus read-only": fixture("scaled-webserver"),
  "ingress on": fixture("ingress"),
};
