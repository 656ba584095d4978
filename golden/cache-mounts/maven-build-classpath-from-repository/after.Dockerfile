# syntax=docker/dockerfile:1
FROM maven:3-jdk17
WORKDIR /src
COPY . .
RUN --mount=type=cache,target=/root/.m2,sharing=locked \
    mvn -B package dependency:build-classpath -Dmdep.outputFile=classpath.txt
CMD ["sh", "-c", "java -cp target/app.jar:$(cat classpath.txt) com.example.App"]
