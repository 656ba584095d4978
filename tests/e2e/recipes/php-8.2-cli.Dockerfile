# php:8.2-cli for the end-to-end suite: Debian's PHP 8.2 command-line interpreter (`php` on PATH, its built-in
# web server `php -S` included), runs as root, no WORKDIR, CMD `php -a`, and the official image's entrypoint
# (docker-php-entrypoint: arguments starting with `-` are handed to php). Debian's own www-data (uid 33) is
# there, as in the official image. Composer and extensions beyond Debian's php8.2-cli defaults are left out.
FROM debian:bookworm-slim
RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates php8.2-cli \
 && rm -rf /var/lib/apt/lists/*
RUN printf '%s\n' '#!/bin/sh' 'set -e' '' '# first arg is `-f` or `--some-option`' \
      'if [ "${1#-}" != "$1" ]; then' '	set -- php "$@"' 'fi' '' 'exec "$@"' > /usr/local/bin/docker-php-entrypoint \
 && chmod 755 /usr/local/bin/docker-php-entrypoint
ENV LANG=C.UTF-8
ENTRYPOINT ["docker-php-entrypoint"]
CMD ["php", "-a"]
