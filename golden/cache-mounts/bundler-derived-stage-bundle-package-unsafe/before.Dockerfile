FROM ruby:3.1 AS base
WORKDIR /usr/src/app
COPY Gemfile ./
RUN bundle install
COPY . .
FROM base AS packaged
RUN bundle package
CMD ["ruby", "app.rb"]
