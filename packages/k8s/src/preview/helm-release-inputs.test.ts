import { describe, expect, it } from "vitest";
import { K8sUnknownLocationError } from "../errors.ts";
import { renderedInstanceConfig, renderedLocation } from "./helm-release-inputs.ts";

/** A code server Deployment as the user-deployments subchart renders it. */
function codeServer(name: string, args: readonly string[], context?: unknown) {
  return {
    kind: "Deployment",
    spec: {
      template: {
        spec: {
          containers: [
            {
              name: "code-server",
              args: ["api", "grpc", ...args, "--port", "4000", "--location-name", name],
              env: [
                { name: "BOSUN_HOME", value: "/opt/bosun/bosun_home" },
                ...(context === undefined
                  ? []
                  : [{ name: "BOSUN_CONTAINER_CONTEXT", value: JSON.stringify(context) }]),
              ],
            },
          ],
        },
      },
    },
  };
}

const OBJECTS = [
  { kind: "ConfigMap", metadata: { name: "other" }, data: { "x.yaml": "a: 1" } },
  { kind: "ConfigMap", metadata: { name: "rel-instance" }, data: { "bosun.yaml": "scheduler: {}\n" } },
  codeServer("sales", ["-f", "/app/definitions.ts"], { k8s: { image: "acme/sales:1" } }),
  codeServer("marketing", ["-m", "@acme/marketing"]),
];

describe("rendered release inputs", () => {
  it("finds the ConfigMap holding bosun.yaml", () => {
    expect(renderedInstanceConfig(OBJECTS, "helm template")).toEqual({
      configMap: "rel-instance",
      text: "scheduler: {}\n",
    });
  });

  it("reads a location's container context and the code its server loads", () => {
    expect(renderedLocation(OBJECTS, "sales")).toEqual({
      name: "sales",
      containerContext: { k8s: { image: "acme/sales:1" } },
      origin: { file: "/app/definitions.ts" },
    });
    expect(renderedLocation(OBJECTS, "marketing")).toEqual({
      name: "marketing",
      containerContext: undefined,
      origin: { module: "@acme/marketing" },
    });
  });

  it("names the nearest location, or lists them, for an unknown one", () => {
    expect(() => renderedLocation(OBJECTS, "markting")).toThrow(K8sUnknownLocationError);
    expect(() => renderedLocation(OBJECTS, "markting")).toThrow('(did you mean "marketing"?)');
    expect(() => renderedLocation(OBJECTS, "finance")).toThrow("(expected one of: marketing, sales)");
  });
});
