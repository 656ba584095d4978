FROM composer:2
ENV COMPOSER_CACHE_DIR=/dev/null
COPY composer.json ./
RUN composer install --no-interaction
COPY . .
CMD ["php", "index.php"]
