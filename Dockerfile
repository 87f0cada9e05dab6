# syntax=docker/dockerfile:1
# The product's images, built from the workspace with pnpm (docs/deploying.md):
#   docker build --target bff    -t contact-sync-bff .
#   docker build --target worker -t contact-sync-worker .
#   docker build --target web    -t contact-sync-web .     # the microfrontend's static files
# The apps run from TypeScript source through tsx (the worker through esbuild at its start: apps/worker/start.mjs;
# the workspace has no build step between packages),
# so the runtime images hold the installed workspace; only the microfrontend is built (vite).

FROM node:20.20-bookworm-slim AS workspace
WORKDIR /app
ENV PNPM_VERSION=12.4.2 CI=true
# Manifests first: the install layer is reused while only sources change.
COPY package.json pnpm-lock.yaml pnpm-workspace.yaml ./
COPY apps/bff/package.json apps/bff/
COPY apps/worker/package.json apps/worker/
COPY apps/web/package.json apps/web/
COPY apps/host-demo/package.json apps/host-demo/
COPY apps/sandbox-brevo/package.json apps/sandbox-brevo/
COPY apps/sandbox-salesforce/package.json apps/sandbox-salesforce/
COPY packages/api/package.json packages/api/
COPY packages/brevo/package.json packages/brevo/
COPY packages/config/package.json packages/config/
COPY packages/contract/package.json packages/contract/
COPY packages/retry/package.json packages/retry/
COPY packages/rules/package.json packages/rules/
COPY packages/salesforce/package.json packages/salesforce/
COPY packages/sandbox-kit/package.json packages/sandbox-kit/
COPY packages/secrets/package.json packages/secrets/
COPY packages/store/package.json packages/store/
COPY packages/sync/package.json packages/sync/
COPY packages/testing/package.json packages/testing/
COPY tools/devdb/package.json tools/devdb/
RUN npx -y pnpm@${PNPM_VERSION} install --frozen-lockfile
COPY tsconfig.base.json ./
COPY packages packages
COPY apps apps

FROM workspace AS web-build
RUN npx -y pnpm@${PNPM_VERSION} --filter ./apps/web run build

FROM node:20.20-bookworm-slim AS runtime
WORKDIR /app
ENV NODE_ENV=production
COPY --from=workspace /app /app
USER node

FROM runtime AS bff
WORKDIR /app/apps/bff
# BFF_HOST: the BFF listens on loopback unless told otherwise; in a container it must listen on all interfaces.
ENV BFF_HOST=0.0.0.0 BFF_PORT=4000
EXPOSE 4000
HEALTHCHECK --interval=10s --timeout=3s --retries=3 CMD ["node", "-e", "fetch('http://127.0.0.1:'+process.env.BFF_PORT+'/readyz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
CMD ["node", "--import", "tsx", "src/main.ts"]

FROM runtime AS worker
WORKDIR /app/apps/worker
# /metrics and /healthz on a port of their own; loopback unless told otherwise, so in a container all interfaces
# (/metrics still asks for METRICS_TOKEN, and in production is not served without one).
ENV WORKER_METRICS_HOST=0.0.0.0 WORKER_METRICS_PORT=4001
EXPOSE 4001
HEALTHCHECK --interval=10s --timeout=3s --retries=3 CMD ["node", "-e", "fetch('http://127.0.0.1:'+process.env.WORKER_METRICS_PORT+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# The heap cap the memory figures were measured with (packages/sync/README.md "Memory"); give the container 384 MB (docs/deploying.md).
# start.mjs compiles the worker's source itself at start: tsx's loader would stay resident (apps/worker/start.mjs).
CMD ["node", "--max-old-space-size=192", "--max-semi-space-size=4", "start.mjs"]

FROM scratch AS web
COPY --from=web-build /app/apps/web/dist /
