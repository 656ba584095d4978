FROM php:8.2-cli
COPY --from=composer:2 /usr/bin/composer /usr/bin/composer
ENV COMPOSER_HOME=/composer
WORKDIR /app
COPY composer.json ./
RUN composer install --no-cache --no-interaction
COPY . .
CMD ["php", "index.php"]
