# syntax=docker/dockerfile:1
FROM ruby:3.2-slim AS build
RUN apt-get update && apt-get install -y --no-install-recommends build-essential
WORKDIR /app
COPY Gemfile Gemfile.lock ./
RUN --mount=type=cache,target=/usr/local/bundle/cache \
    --mount=type=cache,target=/root/.bundle/cache \
    bundle install

FROM ruby:3.2-slim
WORKDIR /app
COPY --from=build /usr/local/bundle /usr/local/bundle
COPY . .
CMD ["ruby", "app.rb"]
