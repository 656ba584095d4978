FROM gcc:13
WORKDIR /src
COPY . .
RUN make && make install
CMD ["app"]
