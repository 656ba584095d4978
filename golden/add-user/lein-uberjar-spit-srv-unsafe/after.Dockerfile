FROM clojure:lein
RUN groupadd --system --gid 10001 app \
 && useradd --system --uid 10001 --gid app --no-log-init --create-home app \
 && mkdir -p /app && chown app:app /app
WORKDIR /app
COPY --chown=app:app . .
RUN lein uberjar
USER 10001:10001
CMD ["java", "-jar", "target/app-standalone.jar"]
