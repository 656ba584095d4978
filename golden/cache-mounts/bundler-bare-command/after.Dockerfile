# syntax=docker/dockerfile:1
FROM ruby:3.1
WORKDIR /app
COPY Gemfile Gemfile.lock ./
RUN --mount=type=cache,target=/usr/local/bundle/cache \
    --mount=type=cache,target=/root/.bundle/cache \
    bundle -j4
COPY . .
CMD ["ruby", "app.rb"]
