# syntax=docker/dockerfile:1
# Build stage: install production dependencies with the full toolchain available.
FROM node:20-bookworm-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts && npm cache clean --force

# Runtime stage: only the app and its production dependencies, run as the unprivileged `node` user.
FROM node:20-bookworm-slim
ENV NODE_ENV=production
WORKDIR /app
COPY --from=deps --chown=node:node /app/node_modules ./node_modules
COPY --chown=node:node package.json ./
COPY --chown=node:node bin ./bin
COPY --chown=node:node cli ./cli
COPY --chown=node:node src ./src
COPY --chown=node:node adapters ./adapters
COPY --chown=node:node jobs ./jobs
COPY --chown=node:node redis ./redis
COPY --chown=node:node rubric ./rubric
USER node
EXPOSE 3000
ENTRYPOINT ["node", "bin/mockdesign.js"]
CMD ["serve"]
