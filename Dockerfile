# Airlock's GitHub App server. Two stages, the same commands `.ci/run` proves:
#   build:   npm ci (dev dependencies included; `prepare` builds dist/), then the checks'
#            prerequisite `npm run build` is already done by prepare.
#   runtime: production dependencies only (`npm ci --omit=dev`, native modules built for
#            this image), the built dist/, rules/ and data/, run as an unprivileged user.
#
#   docker build -t airlock .
#   docker run --env-file .env -p 3000:3000 airlock
#
# Required settings (see docs/install.md): APP_ID, PRIVATE_KEY (or PRIVATE_KEY_PATH to a
# mounted file), WEBHOOK_SECRET; GHE_HOST for GitHub Enterprise Server. The container
# refuses to start, one line per missing setting, without them.

ARG NODE_VERSION=20

FROM node:${NODE_VERSION}-bookworm-slim AS build
# re2 compiles its native module when no prebuilt one matches.
RUN apt-get update -qq && apt-get install -y -qq --no-install-recommends python3 make g++ git ca-certificates \
  && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json package-lock.json ./
COPY scripts ./scripts
# Sources first: `npm ci` runs `prepare`, which builds dist/.
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY bin ./bin
COPY rules ./rules
COPY data ./data
COPY app.yml ./
RUN npm ci --no-audit --no-fund

FROM node:${NODE_VERSION}-bookworm-slim AS runtime
RUN apt-get update -qq && apt-get install -y -qq --no-install-recommends python3 make g++ ca-certificates \
  && rm -rf /var/lib/apt/lists/*
WORKDIR /app
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000 \
    LOG_FORMAT=json
COPY package.json package-lock.json app.yml ./
COPY scripts/prepare.mjs ./scripts/prepare.mjs
COPY bin ./bin
COPY rules ./rules
COPY data ./data
COPY --from=build /app/dist ./dist
# Production dependencies only; `prepare` finds no compiler and keeps the dist/ copied above.
RUN npm ci --omit=dev --no-audit --no-fund \
  && npm cache clean --force \
  && apt-get purge -y -qq python3 make g++ && apt-get autoremove -y -qq \
  && chown -R root:root /app && chmod -R a+rX,go-w /app
USER node
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"
CMD ["node", "dist/server.js"]
