FROM ruby:3.3
RUN useradd --create-home --uid 1500 rails
RUN mkdir -p /rails && chown rails:rails /rails
WORKDIR /rails
COPY --chown=rails:rails Gemfile Gemfile.lock ./
RUN bundle install
COPY --chown=rails:rails . .
USER 1500
CMD ["bin/rails", "server", "-b", "0.0.0.0", "-p", "3000"]
