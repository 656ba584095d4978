FROM ruby:3.1
WORKDIR /usr/src/app
COPY Gemfile ./
RUN bundle install && rm -rf ~/.bundle/*
COPY . .
CMD ["ruby", "app.rb"]
