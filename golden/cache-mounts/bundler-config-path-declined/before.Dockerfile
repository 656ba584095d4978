FROM ruby:3.2
WORKDIR /app
COPY Gemfile Gemfile.lock ./
RUN bundle config set --local path vendor/bundle && bundle install
COPY . .
CMD ["bundle", "exec", "ruby", "app.rb"]
