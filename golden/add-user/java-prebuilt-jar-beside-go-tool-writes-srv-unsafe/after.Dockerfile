FROM eclipse-temurin:17-jre
RUN groupadd --system --gid 10001 app \
 && useradd --system --uid 10001 --gid app --no-log-init --create-home app \
 && mkdir -p /app && chown app:app /app
WORKDIR /app
COPY tools/ /src/tools/
RUN apt-get update && apt-get install -y golang-go && cd /src/tools && go build -o /usr/local/bin/healthcheck . && rm -rf /var/lib/apt/lists/*
COPY --chown=app:app target/app.jar app.jar
USER 10001:10001
CMD ["java", "-jar", "app.jar"]
