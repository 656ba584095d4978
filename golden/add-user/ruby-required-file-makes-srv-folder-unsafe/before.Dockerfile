FROM ruby:3.2-slim
WORKDIR /app
COPY . .
CMD ["bundle", "exec", "ruby", "app.rb"]
