# syntax=docker/dockerfile:1
FROM ruby:3.1
WORKDIR /usr/src/app
COPY Gemfile ./
RUN --mount=type=cache,target=/usr/local/bundle/cache \
    --mount=type=cache,target=/root/.bundle/cache \
    bundle install
COPY . .
CMD ["sh", "-c", "bundle pristine && ruby app.rb"]
