# Build stage: every dependency, then tsc compiles src/ and workers/ into dist/.
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY scripts/build.js ./scripts/build.js
COPY src ./src
COPY workers ./workers
RUN npm run build

# Production dependencies only; no install script runs (none of them needs one).
FROM node:20-bookworm-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund

# The image: the built JavaScript, production dependencies, the launcher and the config.
FROM node:20-bookworm-slim
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json ./
COPY bin ./bin
COPY config ./config
ENV NODE_ENV=production NEWSWATCH_LOG_FORMAT=json
USER node
ENTRYPOINT ["node", "bin/newswatch.js"]
CMD ["start"]
