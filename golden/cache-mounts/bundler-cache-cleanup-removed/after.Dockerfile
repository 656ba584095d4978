# syntax=docker/dockerfile:1
FROM ruby:3.2-alpine
RUN apk add --no-cache build-base
WORKDIR /app
COPY Gemfile Gemfile.lock ./
RUN --mount=type=cache,target=/usr/local/bundle/cache \
 --mount=type=cache,target=/root/.bundle/cache \
 bundle install \
 && find /usr/local/bundle/gems/ -name "*.o" -delete
COPY . .
CMD ["ruby", "app.rb"]
