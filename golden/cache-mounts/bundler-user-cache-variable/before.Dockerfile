FROM ruby:3.3
ENV BUNDLE_USER_CACHE=/var/cache/bundler
WORKDIR /app
COPY Gemfile Gemfile.lock ./
RUN bundle install
COPY . .
CMD ["ruby", "app.rb"]
