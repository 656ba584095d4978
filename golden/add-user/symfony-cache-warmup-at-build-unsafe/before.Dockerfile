FROM php:8.2-cli
WORKDIR /app
COPY . .
RUN php bin/console cache:warmup --env=prod
CMD ["php","-S","0.0.0.0:8000","-t","public"]
