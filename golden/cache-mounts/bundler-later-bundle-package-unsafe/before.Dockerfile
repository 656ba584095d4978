FROM ruby:3.1
WORKDIR /usr/src/app
COPY Gemfile ./
RUN bundle install
COPY . .
RUN bundle package
CMD ["ruby", "app.rb"]
