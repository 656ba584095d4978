FROM ruby:3.1
ENV BUNDLE_PATH=/gems
WORKDIR /usr/src/app
COPY Gemfile ./
RUN bundle install && rm -rf "${BUNDLE_PATH}"/ruby/3.*/cache
COPY . .
CMD ["ruby", "app.rb"]
