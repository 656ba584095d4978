FROM ruby:3.3-slim
WORKDIR /usr/src/app
COPY Gemfile Gemfile.lock ./
RUN bundle config set --local without development \
 && bundle install --jobs 4
COPY . .
CMD ["ruby", "app.rb"]
