FROM ruby:3.3
RUN useradd --create-home --uid 1500 rails
WORKDIR /rails
COPY Gemfile Gemfile.lock ./
RUN bundle install
COPY . .
CMD ["bin/rails", "server", "-b", "0.0.0.0", "-p", "3000"]
