from python:3.12-alpine
run addgroup -S -g 20001 www \
 && adduser -S -D -u 20000 -G www web \
 && mkdir -p /srv && chown web:www /srv
workdir /srv
copy --chown=web:www . .
user 20000:20001
cmd ["python", "app.py"]
