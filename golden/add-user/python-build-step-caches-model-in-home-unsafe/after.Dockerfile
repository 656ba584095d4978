FROM python:3.11
RUN groupadd --system --gid 10001 app \
 && useradd --system --uid 10001 --gid app --no-log-init --create-home app \
 && mkdir -p /app && chown app:app /app
WORKDIR /app
COPY --chown=app:app requirements.txt .
RUN pip install -r requirements.txt
COPY --chown=app:app download_model.py .
RUN python download_model.py
COPY --chown=app:app . .
USER 10001:10001
EXPOSE 8000
CMD ["python", "app.py"]
