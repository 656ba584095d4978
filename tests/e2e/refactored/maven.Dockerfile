FROM maven:3-jdk17 AS build
WORKDIR /app
COPY pom.xml ./
RUN mvn -B dependency:go-offline
COPY src ./src
RUN mvn -B package

FROM maven:3-jdk17
RUN groupadd --system --gid 10001 app \
 && useradd --system --uid 10001 --gid app --no-log-init --no-create-home app
WORKDIR /app
COPY --from=build /app/target/hello.jar target/hello.jar
USER app
CMD ["java", "-jar", "target/hello.jar"]
