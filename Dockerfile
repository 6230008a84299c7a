FROM node:20-bookworm-slim
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund
COPY bin ./bin
COPY src ./src
COPY workers ./workers
COPY config ./config
COPY tsconfig.json ./
ENV NODE_ENV=production NEWSWATCH_LOG_FORMAT=json
USER node
ENTRYPOINT ["node", "bin/newswatch.js"]
CMD ["start"]
