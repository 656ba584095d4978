FROM haskell:9
WORKDIR /app
COPY . .
RUN cabal update && cabal install --installdir=/usr/local/bin
CMD ["app"]
