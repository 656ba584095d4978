# syntax=docker/dockerfile:1
FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends ruby bundler && rm -rf /var/lib/apt/lists/*
ENV GEM_HOME=/opt/gems
WORKDIR /app
COPY Gemfile Gemfile.lock ./
RUN --mount=type=cache,target=/opt/gems/cache \
    --mount=type=cache,target=/root/.bundle/cache \
    bundle install
COPY . .
CMD ["ruby", "app.rb"]
