# syntax=docker/dockerfile:1
FROM ruby:3.1
WORKDIR /usr/src/app
COPY Gemfile ./
RUN --mount=type=cache,target=/usr/local/bundle/cache \
    --mount=type=cache,target=/root/.bundle/cache \
    bundle install
COPY . .
RUN echo 'module Greet; def self.word = "patched"; end' > /usr/local/bundle/gems/greet-1.0.0/lib/greet.rb && bundle pristine
CMD ["ruby", "app.rb"]
