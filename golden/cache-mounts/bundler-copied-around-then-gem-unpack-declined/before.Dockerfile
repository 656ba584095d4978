FROM ruby:3.1 AS builder
WORKDIR /usr/src/app
COPY Gemfile ./
RUN bundle install
FROM ruby:3.1
WORKDIR /usr/src/app
COPY --from=builder /usr/local/bundle /usr/local/bundle
COPY . .
RUN gem unpack greet --target /opt/unpacked && ls -R /opt/unpacked
CMD ["ruby", "app.rb"]
