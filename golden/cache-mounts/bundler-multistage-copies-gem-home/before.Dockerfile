FROM ruby:3.2-slim AS build
RUN apt-get update && apt-get install -y --no-install-recommends build-essential
WORKDIR /app
COPY Gemfile Gemfile.lock ./
RUN bundle install

FROM ruby:3.2-slim
WORKDIR /app
COPY --from=build /usr/local/bundle /usr/local/bundle
COPY . .
CMD ["ruby", "app.rb"]
