/**
 * Templates for `oresi init` (stack). Embedded as strings because tsc does not copy
 * non-TS files into dist/. `__ORESI_VERSION__` is replaced with the running version.
 */

/** stacks/hello/compose.yaml */
export const STACK_COMPOSE = `# Example stack in the Dockge layout: on the host this folder is /opt/stacks/hello.
# The image names its registry and an exact version. For a byte-exact pin add the digest:
#   docker buildx imagetools inspect docker.io/library/nginx:1.27.3-alpine
#   image: docker.io/library/nginx:1.27.3-alpine@sha256:<digest>
services:
  web:
    image: docker.io/library/nginx:1.27.3-alpine
    restart: unless-stopped
    ports:
      # Loopback only: reach it through the reverse proxy, not from the LAN.
      - "127.0.0.1:8081:80"
    healthcheck:
      test: ["CMD", "wget", "-q", "--spider", "http://127.0.0.1/"]
      interval: 30s
      timeout: 5s
      retries: 3
      start_period: 10s
    labels:
      # An Uptime Kuma monitor (AutoKuma picks these labels up).
      kuma.hello.http.name: "hello"
      kuma.hello.http.url: "http://127.0.0.1:8081/"
`;

/** stacks/hello/.env.example */
export const STACK_ENV_EXAMPLE = `# Copy to .env on the host (next to compose.yaml). Never commit .env: it holds secrets.
TZ=Etc/UTC
`;

/** .gitignore */
export const GITIGNORE = `# Env files hold secrets: they live on the host only. Commit *.env.example templates instead.
.env
*.env
.env.*
!*.example
# oresi's audit database and state, if you run it from this checkout.
.oresi-data/
`;
