# syntax=docker/dockerfile:1
FROM php:8.2-cli
COPY --from=composer:2 /usr/bin/composer /usr/bin/composer
ENV COMPOSER_HOME=/composer
WORKDIR /app
COPY composer.json ./
RUN --mount=type=cache,target=/composer/cache composer install --no-interaction
COPY . .
CMD ["php", "index.php"]
