# syntax=docker/dockerfile:1
FROM php:8.2-cli
COPY --from=composer:2 /usr/bin/composer /usr/bin/composer
WORKDIR /opt/app
COPY . .
RUN --mount=type=cache,target=/composer/cache \
    export COMPOSER_HOME=/composer && \
    composer --no-ansi install --optimize-autoloader
CMD ["php", "index.php"]
