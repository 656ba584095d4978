FROM php:8.2-cli
COPY --from=composer:2 /usr/bin/composer /usr/bin/composer
WORKDIR /app
COPY . .
RUN COMPOSER_CACHE_DIR=/tmp composer install --no-dev --no-interaction
CMD ["php", "index.php"]
