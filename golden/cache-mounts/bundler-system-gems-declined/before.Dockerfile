FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends ruby bundler && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY Gemfile Gemfile.lock ./
RUN bundle install
COPY . .
CMD ["ruby", "app.rb"]
