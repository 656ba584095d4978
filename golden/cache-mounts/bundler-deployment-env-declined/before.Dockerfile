FROM ruby:3.3
ENV BUNDLE_DEPLOYMENT=1 BUNDLE_WITHOUT=development
WORKDIR /app
COPY Gemfile Gemfile.lock ./
RUN bundle install
COPY . .
CMD ["bundle", "exec", "ruby", "app.rb"]
