FROM gcc:13
WORKDIR /src
COPY . .
RUN gcc -O2 -o /usr/local/bin/app main.c
CMD ["app"]
