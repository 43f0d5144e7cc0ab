# Passerelle in one container: the built web app, API, socket.io and sync on one port.
# Three stages: the build (dev tools included), the production dependencies alone, and the image
# that runs, which holds only the built output and those dependencies and runs as the `node` user.
FROM node:24-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
COPY shared/package.json shared/
COPY server/package.json server/
COPY web/package.json web/
# Fixes applied to dependencies after install (patch-package, run by `postinstall`).
COPY patches/ patches/
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build

FROM node:24-bookworm-slim AS production-dependencies
WORKDIR /app
COPY package.json package-lock.json ./
COPY shared/package.json shared/
COPY server/package.json server/
COPY web/package.json web/
# The server's runtime packages only: `shared/` is bundled into server/dist/main.js and the web app
# into web/build, so neither needs anything at run time.
# (No install scripts: the patched packages are the web app's, already built into web/build.)
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund && npm cache clean --force

FROM node:24-bookworm-slim
ENV NODE_ENV=production HOST=0.0.0.0 PORT=3000 DATA_DIR=/data
WORKDIR /app
COPY --from=production-dependencies /app/node_modules ./node_modules
COPY --from=build /app/package.json ./
COPY --from=build /app/server/package.json ./server/
COPY --from=build /app/server/dist ./server/dist
COPY --from=build /app/web/build ./web/build
RUN mkdir -p /data && chown node:node /data
USER node
VOLUME /data
EXPOSE 3000
# Ready, not only alive: the store (SQLite or Redis) answers, so a replica waiting on this one starts
# once it can serve.
HEALTHCHECK CMD node -e "fetch('http://127.0.0.1:3000/readyz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
CMD ["node", "server/dist/main.js"]
