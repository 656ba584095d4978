FROM gcc:13
WORKDIR /src
COPY . .
RUN cmake -B build && cmake --build build
CMD ["./build/app"]
