FROM python:3.11-slim
RUN useradd --system --uid 10002 --no-create-home reporter
RUN mkdir -p /app && chown reporter:reporter /app
WORKDIR /app
COPY --chown=reporter:reporter . .
USER 10002
ENTRYPOINT ["/app/entrypoint.sh"]
CMD ["python", "report.py"]
