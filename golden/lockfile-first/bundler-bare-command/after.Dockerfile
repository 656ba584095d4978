FROM ruby:3.2
WORKDIR /app
COPY Gemfile Gemfile.lock ./
RUN bundle -j4
COPY . .
CMD ["ruby", "app.rb"]
