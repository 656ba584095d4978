FROM ruby:3.2-slim AS build
WORKDIR /app
COPY Gemfile Gemfile.lock ./
RUN bundle install

FROM ruby:3.2-slim
WORKDIR /app
COPY --from=build /usr/local/bundle/cache /usr/local/bundle/cache
COPY . .
RUN bundle install --local
CMD ["ruby", "app.rb"]
