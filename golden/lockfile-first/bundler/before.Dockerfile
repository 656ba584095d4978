FROM ruby:3.3
WORKDIR /app
COPY . .
RUN bundle install --jobs 4
CMD ["bundle", "exec", "rackup"]
