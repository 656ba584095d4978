# syntax=docker/dockerfile:1
FROM ruby:3.1
ENV HOME=/app
WORKDIR /app
COPY Gemfile ./
RUN --mount=type=cache,target=/usr/local/bundle/cache bundle install
COPY . .
CMD ["ruby", "app.rb"]
