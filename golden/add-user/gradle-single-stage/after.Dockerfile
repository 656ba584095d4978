FROM gradle:8.8-jdk21
RUN groupadd --system --gid 10001 app \
 && useradd --system --uid 10001 --gid app --no-log-init --create-home app \
 && mkdir -p /home/gradle/project && chown app:app /home/gradle/project
WORKDIR /home/gradle/project
COPY --chown=app:app . .
RUN gradle build --no-daemon -x test
USER 10001:10001
CMD ["java", "-jar", "build/libs/app.jar"]
