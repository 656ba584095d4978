# composer:2 for the end-to-end suite: the php:8.2-cli stand-in with Debian's Composer 2.5 (and unzip, which it
# extracts archives with), set up like the official image for what cache-mounts relies on: COMPOSER_HOME=/tmp (so
# its cache is /tmp/cache), COMPOSER_ALLOW_SUPERUSER=1, WORKDIR /app, CMD composer. packagist.org is not reachable
# from the test machines: a test's composer.json names a repository on loopback instead.
FROM php:8.2-cli
RUN apt-get update \
 && apt-get install -y --no-install-recommends composer unzip \
 && rm -rf /var/lib/apt/lists/*
ENV COMPOSER_ALLOW_SUPERUSER=1 \
    COMPOSER_HOME=/tmp
WORKDIR /app
CMD ["composer"]
