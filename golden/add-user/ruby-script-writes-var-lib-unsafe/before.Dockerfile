FROM ruby:3.2-slim
WORKDIR /app
COPY . .
CMD ["ruby", "app.rb"]
