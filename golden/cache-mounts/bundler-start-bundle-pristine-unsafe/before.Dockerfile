FROM ruby:3.1
WORKDIR /usr/src/app
COPY Gemfile ./
RUN bundle install
COPY . .
CMD ["sh", "-c", "bundle pristine && ruby app.rb"]
