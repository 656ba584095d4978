FROM ruby:3.1 AS builder
WORKDIR /usr/src/app
COPY Gemfile ./
RUN bundle install
FROM ruby:3.1
WORKDIR /usr/src/app
COPY --from=builder /usr/local/bundle /usr/local/bundle
COPY . .
COPY --from=builder /usr/src/app/Gemfile.lock ./
RUN bundle package
CMD ["ruby", "app.rb"]
