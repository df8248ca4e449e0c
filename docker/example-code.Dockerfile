# syntax=docker/dockerfile:1.7
#
# An example user-code image: the Bosun image plus a code location from examples/. It serves the
# location with `bosun api grpc` (the chart passes the arguments) and is the image its runs use.
#
#   docker build -f docker/example-code.Dockerfile -t docker.io/bosun/example-code:0.1.0 \
#     --build-arg BOSUN_IMAGE=docker.io/bosun/bosun:0.1.0 .
#
# Your own image follows the same pattern: start FROM the Bosun image, copy your code location
# (and `npm install --omit=dev` its dependencies in a build stage), and point codeServerArgs at it.

ARG BOSUN_IMAGE=docker.io/bosun/bosun:0.1.0

FROM ${BOSUN_IMAGE}
# The code location's own npm dependencies would be installed here, in a build stage:
#   FROM node:24-bookworm-slim AS deps
#   COPY examples/my-project/package*.json ./
#   RUN npm install --omit=dev
# and copied next to the code. The quickstart needs only Bosun.
COPY --chown=root:root examples/quickstart /opt/bosun/app
# `import ... from "bosun"` (and zod) resolve from /opt/bosun/node_modules, the parent directory's.
WORKDIR /opt/bosun/app
USER 10001:10001
CMD ["api", "grpc", "-f", "/opt/bosun/app/definitions.ts", "--host", "0.0.0.0", "--port", "4000"]
