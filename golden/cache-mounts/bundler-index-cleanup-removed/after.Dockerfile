# syntax=docker/dockerfile:1
FROM ruby:3.3-slim
WORKDIR /app
COPY Gemfile Gemfile.lock ./
RUN --mount=type=cache,target=/usr/local/bundle/cache \
    --mount=type=cache,target=/root/.bundle/cache \
    bundle install
COPY . .
CMD ["ruby", "app.rb"]
