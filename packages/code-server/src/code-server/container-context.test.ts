import { describe, expect, it } from "vitest";
import { resolveContainerContext } from "./container-context.ts";

describe("resolveContainerContext", () => {
  it("prefers the flag over the environment variable", () => {
    expect(
      resolveContainerContext('{"k8s":{"namespace":"flag"}}', { BOSUN_CONTAINER_CONTEXT: '{"k8s":{}}' }),
    ).toEqual({ k8s: { namespace: "flag" } });
    expect(
      resolveContainerContext(undefined, { BOSUN_CONTAINER_CONTEXT: '{"k8s":{"namespace":"env"}}' }),
    ).toEqual({ k8s: { namespace: "env" } });
  });

  it("is null when neither is set", () => {
    expect(resolveContainerContext(undefined, {})).toBeNull();
  });

  it("rejects text that is not a JSON object, naming where it came from", () => {
    expect(() => resolveContainerContext("{k8s:", {})).toThrow(
      /^--container-context must be a JSON object \(e\.g\. \{"k8s": \{"namespace": "data"\}\}\): it is not valid JSON/,
    );
    expect(() => resolveContainerContext(undefined, { BOSUN_CONTAINER_CONTEXT: "[1]" })).toThrow(
      'BOSUN_CONTAINER_CONTEXT must be a JSON object (e.g. {"k8s": {"namespace": "data"}}): got a list',
    );
  });
});
