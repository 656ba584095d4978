FROM debian:bookworm-slim

# persistent / runtime deps
# hadolint ignore=DL3008
RUN apt-get update && \
    apt-get install --no-install-recommends -y \
		acl \
		git \
    && rm -rf /var/lib/apt/lists/*

CMD ["git", "--version"]
