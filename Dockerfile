# One image for every role (ROLE=all | app | worker). Build: docker build -t interview-coach .
FROM node:22-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
COPY scripts ./scripts
# Dependencies first (cached); `prepare` would build before the sources are here.
RUN npm ci --no-audit --no-fund --ignore-scripts
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npm run build && npm prune --omit=dev

FROM node:22-bookworm-slim
# The code judge's sandbox: bubblewrap, prlimit (util-linux) and the Python interpreter candidates run.
RUN apt-get update \
  && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends bubblewrap util-linux python3 \
  && rm -rf /var/lib/apt/lists/*
WORKDIR /app
ENV NODE_ENV=production
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json manifest.json manifest.socket.json ./
COPY bin ./bin
COPY rounds ./rounds
COPY prompts ./prompts
EXPOSE 3000
CMD ["node", "dist/main.js"]
