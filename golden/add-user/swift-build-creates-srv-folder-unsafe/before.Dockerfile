FROM swift:5.9
WORKDIR /app
COPY . .
RUN swift build -c release
CMD [".build/release/App"]
