FROM eclipse-temurin:17-jre
RUN groupadd --system --gid 10001 app \
 && useradd --system --uid 10001 --gid app --no-log-init --create-home app \
 && mkdir -p /app && chown app:app /app
WORKDIR /app
COPY --chown=app:app target/app.jar app.jar
USER 10001:10001
EXPOSE 8080
CMD ["java", "-jar", "app.jar"]
