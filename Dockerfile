# syntax=docker/dockerfile:1
#
# oresi container image.
#
#   docker build -t oresi:dev .
#   docker compose -f deploy/compose.yaml up -d
#
# Base images are pinned by tag. For reproducible, tamper-evident builds pin them by digest too
# (`node:20.20-bookworm-slim@sha256:…`, from `docker buildx imagetools inspect`) and let a bot
# such as Renovate bump the digest; a tag alone can be re-pointed upstream.
ARG NODE_IMAGE=node:20.20-bookworm-slim

# ---- build: compile TypeScript, then keep only production dependencies -----------------------
FROM ${NODE_IMAGE} AS build
# better-sqlite3 compiles from source when no prebuilt binary matches.
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json package-lock.json ./
# --ignore-scripts: the root `prepare` script builds, and src is not copied yet (this layer is
# cached until the lockfile changes). Then build only the one native dependency on purpose.
RUN npm ci --no-audit --no-fund --ignore-scripts \
 && npm rebuild better-sqlite3
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npm run build && npm prune --omit=dev --ignore-scripts

# ---- docker-cli: bookworm has no separate docker-cli package (that arrives in trixie), so take
#      only the client binary out of docker.io instead of shipping dockerd/containerd/runc. ------
FROM ${NODE_IMAGE} AS docker-cli
RUN apt-get update \
 && apt-get install -y --no-install-recommends docker.io \
 && rm -rf /var/lib/apt/lists/*

# ---- runtime ---------------------------------------------------------------------------------
FROM ${NODE_IMAGE} AS runtime
# Compose v1 (docker-compose 1.29, Debian's package) — oresi speaks both dialects and detects
# which one is present. For compose v2 instead, add Docker's apt repository and install
# docker-compose-plugin, or move to a trixie base. --no-install-recommends keeps docker.io out.
RUN apt-get update \
 && apt-get install -y --no-install-recommends docker-compose ca-certificates git tini \
 && rm -rf /var/lib/apt/lists/*
COPY --from=docker-cli /usr/bin/docker /usr/bin/docker

# A fixed, non-root uid so host-side file ownership (data volume) is predictable. oresi never
# needs root inside the container: it reaches the engine through DOCKER_HOST (a socket proxy).
RUN groupadd --system --gid 10001 oresi \
 && useradd --system --uid 10001 --gid 10001 --home-dir /var/lib/oresi --shell /usr/sbin/nologin oresi \
 && mkdir -p /var/lib/oresi /etc/oresi \
 && chown oresi:oresi /var/lib/oresi

WORKDIR /app
COPY --from=build --chown=root:root /app/package.json ./package.json
COPY --from=build --chown=root:root /app/node_modules ./node_modules
COPY --from=build --chown=root:root /app/dist ./dist

# Config is mounted at /etc/oresi (read-only); state lives in the /var/lib/oresi volume, so set
# `dataDir: /var/lib/oresi/data` in oresi.yaml (relative paths resolve against the config folder).
ENV NODE_ENV=production \
    HOME=/var/lib/oresi \
    ORESI_CONFIG=/etc/oresi/oresi.yaml \
    ORESI_LISTEN=0.0.0.0:8080
VOLUME ["/var/lib/oresi"]
USER 10001:10001
WORKDIR /var/lib/oresi
EXPOSE 8080

HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:8080/healthz').then(r=>process.exit(r.ok?0:1)).catch(()=>process.exit(1))"]

# tini as PID 1 reaps the docker/compose children oresi spawns and forwards SIGTERM.
ENTRYPOINT ["/usr/bin/tini", "--", "node", "/app/dist/main.js"]
CMD ["serve"]
