# syntax=docker/dockerfile:1
FROM ruby:3.3
ENV BUNDLE_USER_CACHE=/var/cache/bundler
WORKDIR /app
COPY Gemfile Gemfile.lock ./
RUN --mount=type=cache,target=/usr/local/bundle/cache \
    --mount=type=cache,target=/var/cache/bundler \
    bundle install
COPY . .
CMD ["ruby", "app.rb"]
