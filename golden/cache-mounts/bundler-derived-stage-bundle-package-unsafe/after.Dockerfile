# syntax=docker/dockerfile:1
FROM ruby:3.1 AS base
WORKDIR /usr/src/app
COPY Gemfile ./
RUN --mount=type=cache,target=/usr/local/bundle/cache \
    --mount=type=cache,target=/root/.bundle/cache \
    bundle install
COPY . .
FROM base AS packaged
RUN bundle package
CMD ["ruby", "app.rb"]
