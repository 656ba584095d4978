FROM composer:2
ARG COMPOSER_HOME=/composer
COPY composer.json ./
RUN composer install --no-interaction && composer clear-cache
COPY . .
CMD ["php", "index.php"]
