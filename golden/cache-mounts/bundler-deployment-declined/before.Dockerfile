FROM ruby:3.2
WORKDIR /app
COPY Gemfile Gemfile.lock ./
RUN bundle install --deployment --without development test
COPY . .
CMD ["bundle", "exec", "ruby", "app.rb"]
