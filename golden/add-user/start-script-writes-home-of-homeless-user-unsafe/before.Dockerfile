FROM python:3.11-slim
RUN useradd --system --uid 10002 --no-create-home reporter
WORKDIR /app
COPY . .
ENTRYPOINT ["/app/entrypoint.sh"]
CMD ["python", "report.py"]
