# syntax=docker/dockerfile:1.7
# llmctl-executor-frontier: runs node attempts for hosted-API providers (OpenAI, Anthropic, Gemini, OpenAI-compatible,
# scripted). CPU only. Entrypoint of a Kubernetes executor Job: `llmctl executor run --payload-file F`; the same image
# runs queue workers (`llmctl worker --class frontier`). Build from the repository root:
#   docker build -f deploy/docker/llmctl-executor-frontier.Dockerfile --build-arg VERSION=0.1.0 .
ARG NODE_IMAGE=node:20.19-bookworm-slim

FROM ${NODE_IMAGE} AS build
WORKDIR /src
COPY . .
RUN npm ci --no-audit --no-fund
RUN node deploy/docker/assemble.mjs executor-frontier /out

FROM ${NODE_IMAGE} AS deps
WORKDIR /app
COPY --from=build /out/ ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force

FROM ${NODE_IMAGE}
ARG VERSION=0.0.0-dev
ARG REVISION=unknown
ARG SOURCE=https://github.com/llmctl/llmctl-studio
LABEL org.opencontainers.image.title="llmctl-executor-frontier" \
      org.opencontainers.image.description="llmctl executor for hosted-API model providers (CPU)" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.revision="${REVISION}" \
      org.opencontainers.image.source="${SOURCE}" \
      org.opencontainers.image.licenses="UNLICENSED"
RUN groupadd --system --gid 10001 llmctl \
 && useradd --system --uid 10001 --gid 10001 --no-create-home --home-dir /tmp llmctl
WORKDIR /app
COPY --from=deps /app /app
ENV NODE_ENV=production HOME=/tmp
VOLUME ["/tmp"]
USER 10001:10001
# A Job container has no port to probe: the check proves the compiled CLI is intact and loads.
HEALTHCHECK --interval=60s --timeout=10s --retries=3 \
  CMD ["node", "/app/apps/server/bin/llmctl.mjs", "--help"]
ENTRYPOINT ["node", "--max-semi-space-size=2", "/app/apps/server/bin/llmctl.mjs"]
CMD ["executor", "run", "--payload-file", "/var/run/llmctl/payload.json"]
