FROM maven:3-jdk17
WORKDIR /app
COPY target/hello.jar /app/hello.jar
CMD ["java", "-jar", "/app/hello.jar"]
