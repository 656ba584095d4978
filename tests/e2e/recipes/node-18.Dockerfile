# node:18 for the end-to-end suite: Debian's Node.js 18 and npm (and Yarn 1 as `yarn`, as in the official
# image), a `node` user with uid/gid 1000 and home /home/node, the official image's entrypoint; no WORKDIR.
FROM debian:bookworm-slim
RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates nodejs npm yarnpkg \
 && ln -s /usr/bin/yarnpkg /usr/local/bin/yarn \
 && rm -rf /var/lib/apt/lists/*
RUN groupadd --gid 1000 node \
 && useradd --uid 1000 --gid node --shell /bin/bash --create-home --home-dir /home/node node
COPY files/docker-entrypoint.sh /usr/local/bin/docker-entrypoint.sh
ENTRYPOINT ["docker-entrypoint.sh"]
CMD ["node"]
