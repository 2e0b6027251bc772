# syntax=docker/dockerfile:1
# Production image of the incident bot: production dependencies only, a non-root user, `node dist/main.js`,
# a HEALTHCHECK on /healthz and the SQLite database on a volume. Build: docker build -t incident-bot .
# test/e2e/docker-replay.test.ts replays these steps without Docker (keep the COPY list of the build stage in step).

# ---- build: install production dependencies; `prepare` bundles src/ into dist/ (esbuild is a production dependency)
FROM node:20-bookworm-slim AS build
# better-sqlite3 compiles from source when no prebuilt binary fits.
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json package-lock.json ./
COPY scripts ./scripts
COPY src ./src
COPY migrations ./migrations
RUN npm ci --omit=dev --no-audit --no-fund

# ---- run: only what the bot needs at run time
FROM node:20-bookworm-slim
ENV NODE_ENV=production \
    PORT=3000 \
    DATABASE_URL=file:/data/incidents.db
WORKDIR /app
COPY --from=build /app/package.json ./package.json
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY --from=build /app/migrations ./migrations
# The database lives on a volume owned by the unprivileged `node` user of the base image.
RUN mkdir -p /data && chown node:node /data
USER node
VOLUME ["/data"]
EXPOSE 3000
# 200 while the database can be written (and is still the file at DATABASE_URL); 503 otherwise.
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# node itself receives `docker stop`'s SIGTERM (no shell in between): it finishes deliveries in flight and exits 0.
CMD ["node", "dist/main.js"]
