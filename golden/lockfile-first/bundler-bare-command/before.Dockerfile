FROM ruby:3.2
WORKDIR /app
COPY . .
RUN bundle -j4
CMD ["ruby", "app.rb"]
