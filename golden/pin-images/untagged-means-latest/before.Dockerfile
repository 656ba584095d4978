FROM ghcr.io/acme/tools
