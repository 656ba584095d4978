# syntax=docker/dockerfile:1
FROM ruby:3.1
ENV BUNDLE_PATH=/gems
WORKDIR /usr/src/app
COPY Gemfile ./
RUN --mount=type=cache,target=/gems/ruby/3.1.0/cache \
    --mount=type=cache,target=/root/.bundle/cache \
    bundle install
COPY . .
CMD ["ruby", "app.rb"]
