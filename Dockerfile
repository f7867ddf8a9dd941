# syntax=docker/dockerfile:1
# Build stage: install production dependencies with the full toolchain available.
FROM node:22-bookworm-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts && npm cache clean --force

# Runtime stage: the TypeScript sources the bin runs (through tsx, no build step) and the
# production dependencies. Files stay owned by root and are only read by the unprivileged `node`
# user, so the process cannot rewrite its own code; tsx caches its transforms in /tmp.
FROM node:22-bookworm-slim
ENV NODE_ENV=production
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY package.json tsconfig.json ./
# Every folder `bin/mockdesign.js` reaches: cli/main.ts imports app/ (the composition), which
# imports adapters/, jobs/, redis/ and src/; rubric/ also holds the default rubric and prompts.
COPY bin ./bin
COPY cli ./cli
COPY app ./app
COPY src ./src
COPY adapters ./adapters
COPY jobs ./jobs
COPY redis ./redis
COPY rubric ./rubric
USER node
# 3000: Slack over HTTP (`PORT`, /slack/events). 8080: the health check (`MOCKDESIGN_HEALTH_PORT`).
EXPOSE 3000 8080
# The app stops on SIGTERM within 15 s (running jobs finish, connections close); give it more
# than that before SIGKILL (`docker stop -t 30`, compose's `stop_grace_period: 30s`).
STOPSIGNAL SIGTERM
# Slim images have no curl: ask /healthz with node's fetch. 200 (Redis answers and every
# platform is connected) is healthy; 503, no answer within 4 s or no server is not.
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.MOCKDESIGN_HEALTH_PORT || 8080) + '/healthz', { signal: AbortSignal.timeout(4000) }).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# A young generation of up to 64 MB: the worker allocates briefly-lived objects for every job, and
# the default left garbage collection at 19% of its busy CPU under load (10% with this).
ENTRYPOINT ["node", "--max-semi-space-size=64", "bin/mockdesign.js"]
CMD ["serve"]
