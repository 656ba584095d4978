# syntax=docker/dockerfile:1
FROM ruby:3.2
ENV BUNDLE_PATH=/gems
WORKDIR /app
COPY Gemfile Gemfile.lock ./
RUN --mount=type=cache,target=/gems/ruby/3.2.0/cache \
    --mount=type=cache,target=/root/.bundle/cache \
    bundle install
COPY . .
CMD ["bundle", "exec", "ruby", "app.rb"]
