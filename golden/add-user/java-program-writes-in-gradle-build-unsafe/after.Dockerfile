FROM gradle:4.4-jdk17
RUN groupadd --system --gid 10001 app \
 && useradd --system --uid 10001 --gid app --no-log-init --create-home app \
 && mkdir -p /app && chown app:app /app
WORKDIR /app
COPY --chown=app:app . .
RUN gradle --no-daemon --offline jar
USER 10001:10001
CMD ["java", "-jar", "build/libs/app.jar"]
