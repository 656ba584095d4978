# ruby:3.1 for the end-to-end suite: Debian's Ruby 3.1 and Bundler, set up like the official image for what
# add-user relies on: GEM_HOME=/usr/local/bundle (mode 1777, as there), BUNDLE_APP_CONFIG=/usr/local/bundle,
# BUNDLE_SILENCE_ROOT_WARNING=1, /usr/local/bundle/bin first on PATH, no WORKDIR, runs as root, CMD irb.
# rubygems.org is not reachable from the test machines, so `bundle install` cannot fetch gems: the app servers
# and frameworks test apps run come from Debian's packages instead and are installed here, into the system gem
# paths that RubyGems and Bundler search besides GEM_HOME: Puma 5.6 (`puma`), Rack 2.2 (`rackup`), Unicorn 6,
# Thin 1.8, Sinatra 3.0, WEBrick and Rails 6.1 (ruby-rails: railties with `rails`, Action Pack, Active Record,
# without a database driver). A test app names them in its Gemfile with a Gemfile.lock made offline (`bundle lock
# --local`): `bundle install` then installs nothing and needs no network; or it runs them without Bundler.
FROM debian:bookworm-slim
RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates ruby bundler puma ruby-rack unicorn thin \
      ruby-sinatra ruby-webrick ruby-rails \
 && rm -rf /var/lib/apt/lists/*
ENV LANG=C.UTF-8 \
    GEM_HOME=/usr/local/bundle \
    BUNDLE_SILENCE_ROOT_WARNING=1 \
    BUNDLE_APP_CONFIG=/usr/local/bundle
ENV PATH=/usr/local/bundle/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
RUN mkdir -p /usr/local/bundle \
 && chmod 1777 /usr/local/bundle
CMD ["irb"]
