import { parseArgs } from "node:util";
import { startKubeSim } from "../cluster/kube-sim.ts";
import { loadImageMap } from "../kubelet/image-map.ts";

/**
 * `kube-sim start [--port N] [--kubeconfig PATH] [--images MAP.yaml] [--network auto|namespaces|host]`
 * runs a sim in the foreground until interrupted.
 */
const USAGE = `usage: kube-sim start [--port <port>] [--kubeconfig <path>] [--images <map.yaml>] [--network auto|namespaces|host] [--host-port <port>]...`;

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command !== "start") {
    console.error(command ? `kube-sim: unknown command "${command}"\n${USAGE}` : USAGE);
    return 2;
  }
  const { values } = parseArgs({
    args: rest,
    options: {
      port: { type: "string" },
      kubeconfig: { type: "string" },
      images: { type: "string" },
      network: { type: "string" },
      "host-port": { type: "string", multiple: true },
    },
    strict: true,
  });
  const port = values.port === undefined ? 0 : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new Error(`--port: expected a port number, got ${values.port}`);
  const network = (values.network ?? "auto") as "auto" | "namespaces" | "host";
  if (!["auto", "namespaces", "host"].includes(network))
    throw new Error(`--network: expected auto, namespaces or host, got ${values.network}`);
  const images = values.images ? await loadImageMap(values.images) : {};
  const sim = await startKubeSim({
    port,
    kubeconfigPath: values.kubeconfig,
    kubelet: { images, network, hostPorts: (values["host-port"] ?? []).map(Number) },
  });
  console.log(`kube-sim API server: ${sim.server}`);
  console.log(`kubeconfig: ${sim.kubeconfigPath}`);
  console.log(
    `pods: ${sim.kubelet?.networkMode === "namespaces" ? "network and mount namespaces" : `plain processes (${sim.kubelet?.networkNote})`}`,
  );
  console.log("press Ctrl-C to stop");
  await new Promise<void>((resolve) => {
    process.once("SIGINT", resolve);
    process.once("SIGTERM", resolve);
  });
  await sim.stop();
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`kube-sim: ${(error as Error).message}`);
    process.exit(1);
  },
);
