FROM elixir:1.15
WORKDIR /app
COPY . .
RUN mix deps.get
CMD ["mix", "phx.server"]
