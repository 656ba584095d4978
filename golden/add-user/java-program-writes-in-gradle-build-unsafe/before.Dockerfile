FROM gradle:4.4-jdk17
WORKDIR /app
COPY . .
RUN gradle --no-daemon --offline jar
CMD ["java", "-jar", "build/libs/app.jar"]
