FROM php:8.2-cli
COPY --from=composer:2 /usr/bin/composer /usr/bin/composer
WORKDIR /opt/app
COPY . .
RUN \
    export COMPOSER_HOME=/composer && \
    composer --no-ansi install --optimize-autoloader && \
    composer --no-ansi clearcache
CMD ["php", "index.php"]
