FROM maven:3-jdk17 AS build
WORKDIR /src
COPY . .
RUN mvn -B package

FROM maven:3-jdk17
WORKDIR /app
COPY --from=build /src/target/hello.jar /app/hello.jar
CMD ["java", "-jar", "/app/hello.jar"]
