FROM elixir:1.15
WORKDIR /app
COPY . .
RUN mix compile
CMD ["mix", "run", "--no-halt"]
