FROM gcc:13
WORKDIR /src
COPY . .
RUN gcc -o server server.c
CMD ["./server"]
