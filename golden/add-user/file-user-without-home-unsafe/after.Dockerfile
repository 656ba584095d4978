FROM python:3.11
RUN useradd -r -s /usr/sbin/nologin appuser
RUN mkdir -p /app && chown appuser:appuser /app
WORKDIR /app
COPY --chown=appuser:appuser requirements.txt .
RUN pip install -r requirements.txt
COPY --chown=appuser:appuser . .
USER appuser
EXPOSE 8000
CMD ["python", "app.py"]
