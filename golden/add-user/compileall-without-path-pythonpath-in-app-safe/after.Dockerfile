FROM python:3.12-slim
RUN groupadd --system --gid 10001 app \
 && useradd --system --uid 10001 --gid app --no-log-init --create-home app \
 && mkdir -p /app && chown app:app /app
WORKDIR /app
COPY --chown=app:app . .
ENV PYTHONPATH=/app/lib
RUN pip install --no-cache-dir -r requirements.txt
USER 10001:10001
CMD ["sh", "-c", "python -m compileall -q && exec python app.py"]
