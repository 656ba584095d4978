FROM clojure:lein
WORKDIR /app
COPY . .
RUN lein uberjar
CMD ["java", "-jar", "target/app-standalone.jar"]
