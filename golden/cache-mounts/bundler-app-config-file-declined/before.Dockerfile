FROM ruby:3.2
WORKDIR /app
COPY .bundle/config /usr/local/bundle/config
COPY Gemfile Gemfile.lock ./
RUN bundle install
COPY . .
CMD ["bundle", "exec", "ruby", "app.rb"]
