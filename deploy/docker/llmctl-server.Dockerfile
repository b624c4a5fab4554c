# syntax=docker/dockerfile:1.7
# llmctl-server: `llmctl serve` (API + built studio), compiled JavaScript only. Also runs `llmctl worker` and
# `llmctl db migrate`. Build from the repository root:
#   docker build -f deploy/docker/llmctl-server.Dockerfile --build-arg VERSION=0.1.0 --build-arg REVISION=$(git rev-parse HEAD) .
# Bases are pinned by tag; pin digests too: docs/deploy/images.md § Pinned bases and refreshing digests.
ARG NODE_IMAGE=node:20.19-bookworm-slim

# 1. Build: full install (esbuild, vite), then assemble the app layer with the same script the tests run.
FROM ${NODE_IMAGE} AS build
WORKDIR /src
COPY . .
RUN npm ci --no-audit --no-fund
RUN node deploy/docker/assemble.mjs server /out

# 2. Production dependencies only, from the lockfile.
FROM ${NODE_IMAGE} AS deps
WORKDIR /app
COPY --from=build /out/ ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force

# 3. Runtime: non-root, read-only root friendly (writable: /tmp and the data dir, both volumes).
FROM ${NODE_IMAGE}
ARG VERSION=0.0.0-dev
ARG REVISION=unknown
ARG SOURCE=https://github.com/llmctl/llmctl-studio
LABEL org.opencontainers.image.title="llmctl-server" \
      org.opencontainers.image.description="llmctl Studio server: API, studio, orchestrator" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.revision="${REVISION}" \
      org.opencontainers.image.source="${SOURCE}" \
      org.opencontainers.image.licenses="UNLICENSED"
RUN groupadd --system --gid 10001 llmctl \
 && useradd --system --uid 10001 --gid 10001 --no-create-home --home-dir /tmp llmctl \
 && mkdir -p /var/lib/llmctl && chown 10001:10001 /var/lib/llmctl
WORKDIR /app
COPY --from=deps /app /app
ENV NODE_ENV=production HOME=/tmp LLMCTL_HOST=0.0.0.0 LLMCTL_PORT=8080 LLMCTL_DATA_DIR=/var/lib/llmctl
VOLUME ["/tmp", "/var/lib/llmctl"]
USER 10001:10001
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.LLMCTL_PORT||8080)+'/api/health').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
ENTRYPOINT ["node", "--max-semi-space-size=2", "/app/apps/server/bin/llmctl.mjs"]
CMD ["serve"]
