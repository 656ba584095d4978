FROM elixir:1.15
WORKDIR /app
COPY . .
RUN MIX_ENV=prod mix release
CMD ["_build/prod/rel/app/bin/app", "start"]
