# syntax=docker/dockerfile:1
FROM ruby:3.1
WORKDIR /usr/src/app
COPY Gemfile ./
RUN --mount=type=cache,target=/usr/local/bundle/cache bundle install && rm -rf ~/.bundle/*
COPY . .
CMD ["ruby", "app.rb"]
