# syntax=docker/dockerfile:1
FROM ruby:3.3-alpine
WORKDIR /app
COPY Gemfile Gemfile.lock ./
RUN --mount=type=cache,target=/usr/local/bundle/cache bundle install && rm -rf ~/.bundle
COPY . .
CMD ["ruby", "app.rb"]
