# syntax=docker/dockerfile:1
FROM ruby:3.2
RUN useradd --create-home --uid 1001 app
USER app
WORKDIR /home/app/src
COPY --chown=app Gemfile Gemfile.lock ./
RUN --mount=type=cache,target=/usr/local/bundle/cache,uid=1001 bundle install
COPY --chown=app . .
CMD ["ruby", "app.rb"]
