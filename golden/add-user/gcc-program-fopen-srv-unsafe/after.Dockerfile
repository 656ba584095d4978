FROM gcc:13
RUN groupadd --system --gid 10001 app \
 && useradd --system --uid 10001 --gid app --no-log-init --create-home app \
 && mkdir -p /src && chown app:app /src
WORKDIR /src
COPY --chown=app:app . .
RUN gcc -O2 -o /usr/local/bin/app main.c
USER 10001:10001
CMD ["app"]
