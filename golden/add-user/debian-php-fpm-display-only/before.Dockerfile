FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends php8.2-fpm && rm -rf /var/lib/apt/lists/*
RUN sed -i 's#^listen = .*#listen = 0.0.0.0:9000#' /etc/php/8.2/fpm/pool.d/www.conf
COPY app/ /var/www/app/
WORKDIR /var/www/app
EXPOSE 9000
CMD ["php-fpm8.2", "-F"]
