FROM maven:3-jdk17 AS build
WORKDIR /src
COPY . .
RUN mvn -B package

FROM maven:3-jdk17
RUN groupadd --system --gid 10001 app \
 && useradd --system --uid 10001 --gid app --no-log-init --create-home app \
 && mkdir -p /app && chown app:app /app
WORKDIR /app
COPY --from=build --chown=app:app /src/target/hello.jar /app/hello.jar
USER 10001:10001
CMD ["java", "-jar", "/app/hello.jar"]
