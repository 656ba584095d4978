FROM eclipse-temurin:17-jre
WORKDIR /app
COPY tools/ /src/tools/
RUN apt-get update && apt-get install -y golang-go && cd /src/tools && go build -o /usr/local/bin/healthcheck . && rm -rf /var/lib/apt/lists/*
COPY target/app.jar app.jar
CMD ["java", "-jar", "app.jar"]
