# syntax=docker/dockerfile:1
FROM composer:2 AS vendor
COPY composer.json ./
RUN --mount=type=cache,target=/tmp/cache composer install --no-dev --no-interaction --no-progress

FROM php:8.2-cli
WORKDIR /app
COPY --from=vendor /app/vendor ./vendor
COPY . .
CMD ["php", "index.php"]
