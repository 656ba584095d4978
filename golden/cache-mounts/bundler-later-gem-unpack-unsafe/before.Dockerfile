FROM ruby:3.1
WORKDIR /usr/src/app
COPY Gemfile ./
RUN bundle install
COPY . .
RUN gem unpack greet --target /opt/unpacked && ls -R /opt/unpacked
CMD ["ruby", "app.rb"]
