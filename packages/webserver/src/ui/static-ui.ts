import { createReadStream, existsSync, statSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { FastifyReply, FastifyRequest } from "fastify";

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".jpg": "image/jpeg",
  ".ico": "image/x-icon",
  ".woff": "font/woff",
  ".woff2": "font/woff2",
  ".map": "application/json; charset=utf-8",
  ".txt": "text/plain; charset=utf-8",
  ".wasm": "application/wasm",
};

/** Where the UI package's build lands: `packages/ui/dist`, beside this package. */
export function defaultUiDirectory(): string {
  return fileURLToPath(new URL("../../../ui/dist", import.meta.url));
}

/** The page served instead of the UI when the UI has not been built, saying how to build it. */
export const UI_NOT_BUILT_HTML = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Bosun</title></head>
<body style="font-family: system-ui, sans-serif; max-width: 40rem; margin: 4rem auto; line-height: 1.5">
<h1>Bosun</h1>
<p>The web UI is not built. The API is running: see <a href="/api/openapi.json">/api/openapi.json</a>.</p>
<p>Build the UI with <code>npm run build -w packages/ui</code> and restart the webserver.</p>
</body></html>
`;

/**
 * Serves a built single-page app: files as they are (hashed assets cached for a year), and `index.html`
 * for every other path so client-side routes survive a reload. Without a build, a page that says so.
 */
export function createUiHandler(directory: string | null) {
  const root = directory && existsSync(path.join(directory, "index.html")) ? path.resolve(directory) : null;
  return async (request: FastifyRequest, reply: FastifyReply) => {
    if (!root)
      return reply
        .type("text/html; charset=utf-8")
        .header("cache-control", "no-cache")
        .send(UI_NOT_BUILT_HTML);
    const pathname = decodeURIComponentSafe(new URL(request.url, "http://ui").pathname);
    const file = path.resolve(root, `.${pathname}`);
    // Never outside the build directory.
    const inside = file === root || file.startsWith(`${root}${path.sep}`);
    if (inside && file !== root && isFile(file))
      return sendFile(reply, file, pathname.startsWith("/assets/"));
    return sendFile(reply, path.join(root, "index.html"), false);
  };
}

function sendFile(reply: FastifyReply, file: string, immutable: boolean) {
  const type = CONTENT_TYPES[path.extname(file).toLowerCase()] ?? "application/octet-stream";
  return reply
    .type(type)
    .header("cache-control", immutable ? "public, max-age=31536000, immutable" : "no-cache")
    .send(createReadStream(file));
}

function isFile(file: string): boolean {
  try {
    return statSync(file).isFile();
  } catch {
    return false;
  }
}

function decodeURIComponentSafe(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
