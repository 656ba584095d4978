# syntax=docker/dockerfile:1
FROM composer:2
ARG COMPOSER_HOME=/composer
COPY composer.json ./
RUN --mount=type=cache,target=/tmp/cache composer install --no-interaction
COPY . .
CMD ["php", "index.php"]
