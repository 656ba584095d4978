FROM maven:3-jdk17
WORKDIR /src
COPY . .
RUN mvn -B package
CMD ["java", "-jar", "target/hello.jar"]
