FROM ruby:3.3-alpine
WORKDIR /app
COPY Gemfile Gemfile.lock ./
RUN bundle install && rm -rf ~/.bundle /usr/local/bundle/cache
COPY . .
CMD ["ruby", "app.rb"]
