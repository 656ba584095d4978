# syntax=docker/dockerfile:1
FROM ruby:3.3-slim
WORKDIR /usr/src/app
COPY Gemfile Gemfile.lock ./
RUN --mount=type=cache,target=/usr/local/bundle/cache \
 --mount=type=cache,target=/root/.bundle/cache \
 bundle config set --local without development \
 && bundle install --jobs 4
COPY . .
CMD ["ruby", "app.rb"]
