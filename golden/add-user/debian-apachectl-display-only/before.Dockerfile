FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends apache2 && rm -rf /var/lib/apt/lists/*
RUN sed -i 's/^Listen 80$/Listen 8080/' /etc/apache2/ports.conf && sed -i 's/:80>/:8080>/' /etc/apache2/sites-available/000-default.conf
RUN sed -i "s,/var/lock/apache2,/var/tmp/apache2-lock," /etc/apache2/envvars
ENV APACHE_ULIMIT_MAX_FILES=true
COPY site/ /var/www/html/
WORKDIR /var/www/html
EXPOSE 8080
CMD ["apachectl", "-D", "FOREGROUND"]
