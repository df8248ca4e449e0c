import { spawn } from "node:child_process";
import { connect } from "node:net";

/**
 * Container probes (exec, tcpSocket, httpGet), run the way the kubelet runs them: exec inside
 * the container's namespaces (`nsenter -t <pid>`) as the container's user, network probes from inside the pod's
 * network namespace against the pod IP. gRPC probes call the standard `grpc.health.v1.Health/Check`
 * over HTTP/2 and pass only when the answer is SERVING, as the kubelet's do.
 */
type Any = Record<string, any>;

export interface ProbeTarget {
  /** Pid of the container's main process. */
  readonly pid: number | undefined;
  readonly netnsPath: string | undefined;
  readonly podIP: string;
  readonly env: Record<string, string>;
  readonly ports: readonly Any[];
  /** Command prefix that runs an exec probe as the container's user (setpriv … --). */
  readonly user?: readonly string[] | undefined;
}

export interface ProbeResult {
  readonly ok: boolean;
  readonly message: string;
}

function run(argv: string[], env: Record<string, string>, timeoutMs: number): Promise<ProbeResult> {
  return new Promise((resolve) => {
    const child = spawn(argv[0]!, argv.slice(1), { env, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (d: Buffer) => {
      output += d.toString();
    });
    child.stderr.on("data", (d: Buffer) => {
      output += d.toString();
    });
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      resolve({ ok: false, message: `command timed out after ${timeoutMs / 1000}s` });
    }, timeoutMs);
    child.once("error", (error) => {
      clearTimeout(timer);
      resolve({ ok: false, message: error.message });
    });
    child.once("close", (code) => {
      clearTimeout(timer);
      resolve({ ok: code === 0, message: output.trim() || `exit code ${code}` });
    });
  });
}

/** A small Node program that connects (and optionally GETs) and exits 0 on success. */
function networkCheck(
  kind: "tcp" | "http" | "https" | "grpc",
  host: string,
  port: number,
  path: string,
  headers: Record<string, string>,
  timeoutMs: number,
): string {
  if (kind === "tcp") {
    return `const s=require("net").connect(${port},${JSON.stringify(host)},()=>{s.destroy();process.exit(0)});s.on("error",e=>{console.log(e.message);process.exit(1)});setTimeout(()=>{console.log("timeout");process.exit(1)},${timeoutMs})`;
  }
  if (kind === "grpc") return grpcHealthCheck(host, port, path, timeoutMs);
  const mod = kind === "https" ? "https" : "http";
  return `const r=require("${mod}").get({host:${JSON.stringify(host)},port:${port},path:${JSON.stringify(path)},headers:${JSON.stringify(headers)},rejectUnauthorized:false},res=>{res.resume();const ok=res.statusCode>=200&&res.statusCode<400;if(!ok)console.log("HTTP probe failed with statuscode: "+res.statusCode);process.exit(ok?0:1)});r.on("error",e=>{console.log(e.message);process.exit(1)});setTimeout(()=>{console.log("timeout");process.exit(1)},${timeoutMs})`;
}

/**
 * grpc.health.v1.Health/Check by hand: the request is one length-prefixed HealthCheckRequest (field 1,
 * the service name, when given); SERVING is field 1 = 1 in the reply, i.e. the bytes 0x08 0x01.
 */
function grpcHealthCheck(host: string, port: number, service: string, timeoutMs: number): string {
  return `const h2=require("http2");const svc=Buffer.from(${JSON.stringify(service)});
const msg=svc.length?Buffer.concat([Buffer.from([0x0a,svc.length]),svc]):Buffer.alloc(0);
const frame=Buffer.concat([Buffer.from([0,0,0,0,msg.length]),msg]);
const fail=m=>{console.log(m);process.exit(1)};
setTimeout(()=>fail("timeout: failed to connect service within ${timeoutMs / 1000}s"),${timeoutMs});
const c=h2.connect("http://"+${JSON.stringify(host.includes(":") ? `[${host}]` : host)}+":${port}");c.on("error",e=>fail(e.message));
const r=c.request({":method":"POST",":path":"/grpc.health.v1.Health/Check","content-type":"application/grpc","te":"trailers"});
const chunks=[];r.on("data",d=>chunks.push(d));r.on("error",e=>fail(e.message));
let status=null;r.on("trailers",t=>{status=t["grpc-status"]});r.on("response",h=>{if(h["grpc-status"]!==undefined)status=h["grpc-status"]});
r.on("close",()=>{const body=Buffer.concat(chunks);if(status!=="0")fail("rpc error: grpc-status "+status);
const m=body.subarray(5);const serving=m.length>=2&&m[0]===0x08&&m[1]===0x01;if(!serving)fail("service unhealthy (responded with NOT_SERVING)");process.exit(0)});
r.end(frame);`;
}

function resolvePort(port: unknown, ports: readonly Any[]): number | undefined {
  if (typeof port === "number") return port;
  return ports.find((p) => p.name === port)?.containerPort;
}

export async function runProbe(probe: Any, target: ProbeTarget): Promise<ProbeResult> {
  const timeoutMs = (probe.timeoutSeconds ?? 1) * 1000;
  if (probe.exec) {
    const command: string[] = probe.exec.command ?? [];
    if (command.length === 0) return { ok: false, message: "exec probe has no command" };
    const asUser = [...(target.user ?? []), ...command];
    const argv =
      target.netnsPath && target.pid
        ? ["nsenter", "-t", String(target.pid), "-n", "-m", "-u", "--", ...asUser]
        : asUser;
    return run(argv, target.env, timeoutMs);
  }
  let kind: "tcp" | "http" | "https" | "grpc";
  let portSpec: unknown;
  let host = target.podIP;
  let path = "/";
  const headers: Record<string, string> = {};
  if (probe.tcpSocket) {
    kind = "tcp";
    portSpec = probe.tcpSocket.port;
    host = probe.tcpSocket.host ?? host;
  } else if (probe.httpGet) {
    kind = probe.httpGet.scheme === "HTTPS" ? "https" : "http";
    portSpec = probe.httpGet.port;
    host = probe.httpGet.host ?? host;
    path = probe.httpGet.path ?? "/";
    for (const h of probe.httpGet.httpHeaders ?? []) headers[h.name] = h.value;
  } else if (probe.grpc) {
    kind = "grpc";
    portSpec = probe.grpc.port;
    path = probe.grpc.service ?? "";
  } else return { ok: false, message: "probe has no handler" };
  const port = resolvePort(portSpec, target.ports);
  if (port === undefined) return { ok: false, message: `port ${String(portSpec)} is not a container port` };
  if (!target.netnsPath && kind === "tcp") {
    return new Promise((resolve) => {
      const socket = connect(port, host, () => {
        socket.destroy();
        resolve({ ok: true, message: "" });
      });
      socket.setTimeout(timeoutMs, () => {
        socket.destroy();
        resolve({ ok: false, message: "timeout" });
      });
      socket.on("error", (e) => resolve({ ok: false, message: e.message }));
    });
  }
  const script = networkCheck(kind, host, port, path, headers, timeoutMs);
  const node = [process.execPath, "-e", script];
  const argv = target.netnsPath ? ["nsenter", `--net=${target.netnsPath}`, "--", ...node] : node;
  return run(argv, { PATH: target.env.PATH ?? "" }, timeoutMs + 2000);
}
