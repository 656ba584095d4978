FROM ruby:3.3-slim
WORKDIR /app
COPY Gemfile Gemfile.lock ./
RUN bundle install \
    && rm -rf ~/.bundle/cache "$GEM_HOME"/cache/*.gem
COPY . .
CMD ["ruby", "app.rb"]
