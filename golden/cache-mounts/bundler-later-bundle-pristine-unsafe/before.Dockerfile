FROM ruby:3.1
WORKDIR /usr/src/app
COPY Gemfile ./
RUN bundle install
COPY . .
RUN echo 'module Greet; def self.word = "patched"; end' > /usr/local/bundle/gems/greet-1.0.0/lib/greet.rb && bundle pristine
CMD ["ruby", "app.rb"]
