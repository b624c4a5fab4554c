# syntax=docker/dockerfile:1.7
# llmctl-executor-vllm: runs node attempts for local models served by vLLM inside the container (provider
# `vllm_local`). Two variants from one file:
#   docker build -f deploy/docker/llmctl-executor-vllm.Dockerfile --build-arg VARIANT=cuda .   → tag <version>
#   docker build -f deploy/docker/llmctl-executor-vllm.Dockerfile --build-arg VARIANT=cpu .    → tag <version>-cpu
# Entrypoint of a Kubernetes executor Job: `llmctl executor run --payload-file F`; also `llmctl worker --class vllm`.
ARG NODE_IMAGE=node:20.19-bookworm-slim
ARG VLLM_CUDA_IMAGE=vllm/vllm-openai:v0.10.1.1
ARG VLLM_CPU_IMAGE=public.ecr.aws/q9t5s3a7/vllm-cpu-release-repo:v0.10.1.1
ARG VARIANT=cuda

FROM ${NODE_IMAGE} AS node

FROM ${NODE_IMAGE} AS build
WORKDIR /src
COPY . .
RUN npm ci --no-audit --no-fund
RUN node deploy/docker/assemble.mjs executor-vllm /out

FROM ${NODE_IMAGE} AS deps
WORKDIR /app
COPY --from=build /out/ ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force

FROM ${VLLM_CUDA_IMAGE} AS vllm-cuda
FROM ${VLLM_CPU_IMAGE} AS vllm-cpu

# Runtime: the vLLM base of the chosen variant + the Node.js runtime + the app layer.
FROM vllm-${VARIANT}
ARG VERSION=0.0.0-dev
ARG REVISION=unknown
ARG SOURCE=https://github.com/llmctl/llmctl-studio
ARG VARIANT=cuda
LABEL org.opencontainers.image.title="llmctl-executor-vllm" \
      org.opencontainers.image.description="llmctl executor with vLLM for local models (${VARIANT})" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.revision="${REVISION}" \
      org.opencontainers.image.source="${SOURCE}" \
      org.opencontainers.image.licenses="UNLICENSED"
COPY --from=node /usr/local/bin/node /usr/local/bin/node
RUN groupadd --system --gid 10001 llmctl \
 && useradd --system --uid 10001 --gid 10001 --no-create-home --home-dir /tmp llmctl \
 && mkdir -p /var/cache/huggingface && chown 10001:10001 /var/cache/huggingface
WORKDIR /app
COPY --from=deps /app /app
ENV NODE_ENV=production HOME=/tmp HF_HOME=/var/cache/huggingface LLMCTL_VLLM_VARIANT=${VARIANT}
VOLUME ["/tmp", "/var/cache/huggingface"]
USER 10001:10001
HEALTHCHECK --interval=60s --timeout=10s --retries=3 \
  CMD ["node", "/app/apps/server/bin/llmctl.mjs", "--help"]
ENTRYPOINT ["node", "--max-semi-space-size=2", "/app/apps/server/bin/llmctl.mjs"]
CMD ["executor", "run", "--payload-file", "/var/run/llmctl/payload.json"]
