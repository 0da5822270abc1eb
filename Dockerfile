# AccuRate engine image. Build: docker build -t accurate .
# Run:   docker run -p 2012:2012 -p 2080:2080 -v accurate-data:/var/lib/accurate accurate
# The image's config (packaging/docker/accurate.json) listens on all interfaces of the container;
# mount your own folder on /etc/accurate to change it.
FROM node:20-bookworm-slim AS build
# sqlite3 compiles from source on install.
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
WORKDIR /opt/accurate
COPY package.json package-lock.json tsconfig.json ./
COPY bin bin
COPY src src
COPY bench bench
COPY tp tp
RUN npm ci && npm prune --omit=dev && rm -rf src bench

FROM node:20-bookworm-slim
# git: the tariff-plan history archive.
RUN apt-get update && apt-get install -y --no-install-recommends git && rm -rf /var/lib/apt/lists/* \
 && mkdir -p /var/lib/accurate /var/spool/accurate/ees && chown node:node /var/lib/accurate /var/spool/accurate/ees
COPY --from=build /opt/accurate /opt/accurate
COPY packaging/docker/accurate.json /etc/accurate/accurate.json
RUN ln -s /opt/accurate/bin/accurate /usr/local/bin/accurate
USER node
WORKDIR /var/lib/accurate
VOLUME /var/lib/accurate
EXPOSE 2012 2080
STOPSIGNAL SIGTERM
CMD ["accurate", "engine", "-config_path", "/etc/accurate", "-logger=*stdout"]
