FROM composer:2 AS vendor
COPY composer.json ./
RUN composer install --no-dev --no-interaction --no-progress \
 && composer clear-cache

FROM php:8.2-cli
WORKDIR /app
COPY --from=vendor /app/vendor ./vendor
COPY . .
CMD ["php", "index.php"]
