FROM debian:bookworm-slim
RUN groupadd --system --gid 10001 app \
 && useradd --system --uid 10001 --gid app --no-log-init --create-home app \
 && mkdir -p /app && chown app:app /app
WORKDIR /app
COPY --chown=app:app README.md /app/README.md
USER 10001:10001
CMD ["sleep", "infinity"]
