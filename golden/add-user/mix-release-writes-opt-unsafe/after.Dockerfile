FROM elixir:1.15
RUN groupadd --system --gid 10001 app \
 && useradd --system --uid 10001 --gid app --no-log-init --create-home app \
 && mkdir -p /app && chown app:app /app
WORKDIR /app
COPY --chown=app:app . .
RUN MIX_ENV=prod mix release
USER 10001:10001
CMD ["_build/prod/rel/app/bin/app", "start"]
