FROM ruby:3.2
WORKDIR /app
COPY Gemfile Gemfile.lock ./
RUN bundle install && rm -rf "$GEM_HOME/cache"
COPY . .
CMD ["ruby", "app.rb"]
